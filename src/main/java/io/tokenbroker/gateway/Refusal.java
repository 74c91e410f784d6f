package io.tokenbroker.gateway;

/**
 * Why the gateway refused a call or a socket, with the stable name metrics and logs give
 * it (renaming a constant changes no metric).
 */
enum Refusal {

	/** The account's share of Tradovate's hourly requests per user is spent. */
	USER_LIMIT("user-limit"),

	/** The hourly limit of one endpoint is spent. */
	ENDPOINT_LIMIT("endpoint-limit"),

	/** Tradovate penalized the endpoint: held until its p-time ends. */
	ENDPOINT_HELD("endpoint-held"),

	/** The fleet holds {@code max-sockets} upstream sockets of the account. */
	SOCKET_LIMIT("socket-limit"),

	/** Logins, renewals and OAuth are the broker's own. */
	RESERVED_ENDPOINT("reserved-endpoint"),

	/** No client key, or a wrong one, on a WebSocket. */
	UNAUTHORIZED("unauthorized"),

	/** The address is locked out after wrong keys. */
	LOCKED_OUT("locked-out"),

	/** The client may not use the gateway, or not this account. */
	NOT_ALLOWED("not-allowed"),

	/** No such account. */
	UNKNOWN_ACCOUNT("unknown-account"),

	/** Not a path the gateway passes on. */
	BAD_PATH("bad-path"),

	/** The broker holds no token it can use now. */
	NO_TOKEN("no-token"),

	/** Tradovate did not answer, or not in time. */
	UPSTREAM_FAILED("upstream-failed"),

	/** Tradovate's answer was larger than {@code max-response-size}. */
	ANSWER_TOO_LARGE("answer-too-large"),

	/** A socket's caller presented no key in time. */
	AUTHORIZE_TIMEOUT("authorize-timeout"),

	/** A socket's caller fell silent. */
	HEARTBEAT_TIMEOUT("heartbeat-timeout"),

	/** A socket's caller sent too much before its upstream socket was ready. */
	TOO_EARLY("too-early"),

	/** The state store, which counts the fleet's sockets, does not answer. */
	STORE_UNAVAILABLE("store-unavailable");

	private final String tag;

	Refusal(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}

}
