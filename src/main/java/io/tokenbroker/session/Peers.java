package io.tokenbroker.session;

/**
 * The other replicas of a fleet, as a replica without an account's lease needs them: it
 * asks the holder to act and waits for the token the holder writes.
 */
interface Peers {

	/** No other replica: every lease is this replica's. */
	Peers NONE = (account, request) -> {
	};

	/** Asks the holder of the account's lease to act. */
	void ask(String account, PeerRequest request);

	/**
	 * What one replica asks of the holder.
	 *
	 * @param kind {@code renew} (so that the token lasts {@code minValiditySeconds}) or
	 * {@code act-now} (an operator's order)
	 * @param minValiditySeconds for {@code renew}
	 */
	record PeerRequest(String kind, long minValiditySeconds) {

		static final String RENEW = "renew";

		static final String ACT_NOW = "act-now";

	}

}
