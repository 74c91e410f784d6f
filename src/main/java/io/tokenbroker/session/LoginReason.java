package io.tokenbroker.session;

import java.util.Locale;

/**
 * Why the broker opens a new session: operators tell a healthy start from a session that
 * keeps being closed.
 */
public enum LoginReason {

	/** No token yet: the account's first login, or one after a wait ended. */
	SCHEDULED,

	/** The token lapsed: renewals failed until it stopped being served. */
	EXPIRED,

	/** Tradovate no longer accepts the token (a renewal or a liveness check got 401). */
	REVOKED,

	/**
	 * A caller reported the token refused, and Tradovate confirmed the session closed.
	 */
	REPORTED,

	/** An operator ordered it. */
	OPERATOR;

	/** As a metric tag and in health details. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
