package io.tokenbroker.store;

/**
 * One account in a round of lease keeping.
 *
 * @param account account id
 * @param mayTake whether this replica may take the lease when it is free (a replica that
 * cannot read the account's record never does)
 * @param lastFence fencing number of this replica's last lease on the account, 0 if none:
 * a free lease whose number has not moved since is resumed, not taken anew
 */
public record LeaseClaim(String account, boolean mayTake, long lastFence) {

}
