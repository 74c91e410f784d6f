package io.tokenbroker.store;

/**
 * What health and logs ask of the store: what and where it is, and whether it answers.
 */
public interface StoreProbe {

	/** What and where the store is, for logs and health: never a password. */
	String describe();

	/** This replica's id, as leases name it. */
	String replica();

	/** Whether other replicas share this store (and so its leases and messages). */
	boolean shared();

	/** Whether the store answers now; throws {@link StoreUnavailableException} if not. */
	void check();

}
