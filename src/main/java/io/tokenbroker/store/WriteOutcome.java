package io.tokenbroker.store;

/**
 * What came of a fenced write.
 */
public enum WriteOutcome {

	/** The record is stored. */
	WRITTEN,

	/** Another replica took the account's lease since: nothing was written. */
	FENCED,

	/**
	 * The stored record is no longer the one the write started from: nothing was written.
	 */
	CONFLICT

}
