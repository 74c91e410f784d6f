package io.tokenbroker.session;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.tokenbroker.store.Lease;

/**
 * This replica's view of one account's lease: whether it is the replica that calls
 * Tradovate for the account. A holder that cannot reach the store keeps renewing (a
 * renewal opens no session) but logs in only while its lease is confirmed, so a fleet
 * never opens a second session.
 */
final class AccountLease {

	private final String replica;

	private final long validNanos;

	private final LongSupplier nanoTime;

	private volatile String holder;

	private volatile long fence;

	private volatile long reportedAt;

	private volatile long ownFence;

	private AccountLease(String replica, Duration validFor, LongSupplier nanoTime) {
		this.replica = replica;
		this.validNanos = validFor.toNanos();
		this.nanoTime = nanoTime;
	}

	/** The lease of a replica that shares its store with nobody: held for good. */
	static AccountLease sole(String replica) {
		AccountLease lease = new AccountLease(replica, Duration.ofNanos(Long.MAX_VALUE), () -> 0);
		lease.holder = replica;
		lease.fence = 1;
		return lease;
	}

	/** A lease kept in a shared store, valid for {@code leaseTime} after each renewal. */
	static AccountLease shared(String replica, Duration leaseTime, LongSupplier nanoTime) {
		AccountLease lease = new AccountLease(replica, leaseTime, nanoTime);
		// nothing reported yet
		lease.reportedAt = nanoTime.getAsLong() - lease.validNanos;
		return lease;
	}

	/** Whether this replica holds the lease, as far as it knows. */
	boolean mine() {
		return this.replica.equals(this.holder);
	}

	/**
	 * Whether this replica holds the lease and the store confirmed it within its time.
	 */
	boolean confirmed() {
		return mine() && fresh();
	}

	/**
	 * Whether the store reported on this lease within the lease time: it is reachable.
	 */
	boolean fresh() {
		return this.nanoTime.getAsLong() - this.reportedAt < this.validNanos;
	}

	long fence() {
		return this.fence;
	}

	/**
	 * Fencing number of this replica's latest lease on the account, 0 if it never held
	 * one.
	 */
	long lastOwnFence() {
		return this.ownFence;
	}

	/** The holder's replica id, or {@code null} when nobody holds it. */
	String holder() {
		return this.holder;
	}

	/**
	 * What the store reported in the latest round.
	 * @return whether this replica gained ({@code +1}) or lost ({@code -1}) the lease, or
	 * neither (0)
	 */
	int update(Lease lease) {
		boolean wasMine = mine();
		this.holder = lease.holder();
		this.fence = lease.fence();
		this.reportedAt = this.nanoTime.getAsLong();
		if (mine()) {
			this.ownFence = lease.fence();
		}
		return (mine() == wasMine) ? 0 : (mine() ? 1 : -1);
	}

}
