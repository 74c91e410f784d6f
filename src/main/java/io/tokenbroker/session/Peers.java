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
	 * @param kind {@code renew} (so that the token lasts {@code minValiditySeconds}),
	 * {@code act-now} (an operator's order) or {@code verify} (a caller reported the
	 * token with fingerprint {@code token} refused)
	 * @param minValiditySeconds for {@code renew}
	 * @param token for {@code verify}: the fingerprint of the token reported
	 * @param client for {@code renew}: the client asking, whose share a forced renewal
	 * comes from, or {@code null}
	 */
	record PeerRequest(String kind, long minValiditySeconds, String token, String client) {

		PeerRequest(String kind, long minValiditySeconds, String token) {
			this(kind, minValiditySeconds, token, null);
		}

		static final String RENEW = "renew";

		static final String ACT_NOW = "act-now";

		static final String VERIFY = "verify";

	}

}
