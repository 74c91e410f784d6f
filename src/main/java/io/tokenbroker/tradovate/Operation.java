package io.tokenbroker.tradovate;

/**
 * The calls the broker makes to Tradovate.
 */
public enum Operation {

	/** {@code POST /auth/accesstokenrequest}: opens a new session. */
	LOGIN,

	/** {@code GET /auth/renewaccesstoken}: extends the current session. */
	RENEW,

	/** {@code GET /auth/me}: checks that a token is still accepted. */
	ME;

	public String tag() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
