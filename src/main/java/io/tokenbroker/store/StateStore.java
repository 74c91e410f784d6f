package io.tokenbroker.store;

/**
 * Where account records, hourly ledgers and leases outlive the process: the store of one
 * type (memory, file or Redis) in each of its roles. Each user of the store depends on
 * the role it needs. Every method may throw {@link StoreUnavailableException}; none ever
 * blocks longer than the store's timeout. {@code StateStoreContract} is what every store
 * keeps.
 */
public interface StateStore
		extends AccountRecords, AccountLeases, FleetMessages, HourlyLedgers, StoreProbe, AutoCloseable {

	/** Lets go of what the store holds (a directory lock, say). */
	@Override
	default void close() {
	}

}
