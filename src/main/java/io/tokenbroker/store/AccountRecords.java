package io.tokenbroker.store;

import java.util.Collection;
import java.util.Map;

/**
 * The store's role as the accounts' repository: one record per account, written under the
 * lease's fencing number and the revision it started from. Every method may throw
 * {@link StoreUnavailableException}.
 */
public interface AccountRecords {

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

}
