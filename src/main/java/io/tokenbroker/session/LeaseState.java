package io.tokenbroker.session;

/**
 * What this replica knows of an account's lease when something happens: whether it is the
 * replica that calls Tradovate, and whether the store confirmed the lease within the
 * lease time. A replica that shares its store with nobody always holds it.
 */
enum LeaseState {

	/** This replica holds the lease, as the store confirmed within the lease time. */
	MINE,

	/**
	 * This replica holds the lease, but the store has not confirmed it lately: it keeps
	 * renewing (a renewal opens no session) and never logs in.
	 */
	MINE_UNCONFIRMED,

	/** Another replica holds the lease, or nobody does, as the store said lately. */
	THEIRS,

	/** Another replica holds the lease, or nobody does, and the store has been silent. */
	THEIRS_UNCONFIRMED;

	static LeaseState of(AccountLease lease) {
		boolean fresh = lease.fresh();
		if (lease.mine()) {
			return fresh ? MINE : MINE_UNCONFIRMED;
		}
		return fresh ? THEIRS : THEIRS_UNCONFIRMED;
	}

	boolean mine() {
		return this == MINE || this == MINE_UNCONFIRMED;
	}

	/** Whether the store reported on the lease within the lease time: it is reachable. */
	boolean fresh() {
		return this == MINE || this == THEIRS;
	}

	/** Whether this replica holds the lease and the store confirmed it. */
	boolean confirmed() {
		return this == MINE;
	}

}
