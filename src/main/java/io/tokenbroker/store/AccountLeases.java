package io.tokenbroker.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The store's role as the lease service: which replica may call Tradovate for an account,
 * with a fencing number that grows each time the lease changes hands. An unshared store
 * gives every lease to its one replica. Every method may throw
 * {@link StoreUnavailableException}.
 */
public interface AccountLeases {

	/**
	 * Renews the leases this replica holds among the claims, takes the free ones it may
	 * take, and reports every claimed account's lease.
	 */
	Map<String, Lease> keepLeases(List<LeaseClaim> claims);

	/** Gives up this replica's leases on these accounts, say at shutdown. */
	void releaseLeases(Collection<String> accounts);

}
