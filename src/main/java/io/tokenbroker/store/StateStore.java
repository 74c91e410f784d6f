package io.tokenbroker.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where account records, hourly ledgers and leases outlive the process. Every method may
 * throw {@link StoreUnavailableException}; none ever blocks longer than the store's
 * timeout.
 */
public interface StateStore extends AutoCloseable {

	/** What and where the store is, for logs and health: never a password. */
	String describe();

	/** This replica's id, as leases name it. */
	String replica();

	/** Whether other replicas share this store (and so its leases and messages). */
	boolean shared();

	/** One account's record, or {@code null} when the store holds none. */
	StoredEntry read(String account);

	/** The records of these accounts that exist, by account id. */
	Map<String, StoredEntry> readAll(Collection<String> accounts);

	/**
	 * Stores a record if the lease with this fencing number is still the latest one for
	 * the account and the stored record still carries {@code expectedRevision} (0 when
	 * none is stored); tells the other replicas.
	 */
	WriteOutcome write(String account, long fence, long expectedRevision, StoredEntry entry);

	/**
	 * Stores a record only when none is stored or the stored one carries an older token
	 * revision: how a replica gives back what a store that lost its data no longer has.
	 * @return whether it was stored
	 */
	boolean offer(String account, StoredEntry entry);

	/** The ledger of one of Tradovate's hourly limits, shared like the store. */
	HourlyLedger ledger(String name, int limit);

	/**
	 * Renews the leases this replica holds among the claims, takes the free ones it may
	 * take, and reports every claimed account's lease.
	 */
	Map<String, Lease> keepLeases(List<LeaseClaim> claims);

	/** Gives up this replica's leases on these accounts, say at shutdown. */
	void releaseLeases(Collection<String> accounts);

	/** Sends a message to every other replica; nothing happens for an unshared store. */
	void publish(String message);

	/**
	 * @param changed hears the id of each account whose record another replica wrote
	 * @param messages hears every message published by another replica
	 */
	void subscribe(Consumer<String> changed, Consumer<String> messages);

	/** Whether the store answers now; throws {@link StoreUnavailableException} if not. */
	void check();

	/** Lets go of what the store holds (a directory lock, say). */
	@Override
	default void close() {
	}

}
