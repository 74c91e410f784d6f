package io.tokenbroker.session;

/**
 * How the broker learned that Tradovate no longer accepts a token it served (the session
 * was closed or the token revoked upstream): each a stable metric tag.
 */
public enum RevocationCause {

	/** A caller reported the token refused, and a check found its session closed. */
	CALLER_REPORT("caller-report"),

	/** The periodic liveness check found the session closed. */
	LIVENESS_CHECK("liveness-check"),

	/**
	 * A renewal was refused (HTTP 401, or an error text and then a check that found the
	 * session closed).
	 */
	RENEWAL("renewal");

	private final String tag;

	RevocationCause(String tag) {
		this.tag = tag;
	}

	/** As a metric tag and in log lines; never changes with the constant's name. */
	public String tag() {
		return this.tag;
	}

}
