package io.tokenbroker.simulator;

/**
 * Why the simulator closes a WebSocket: the code and reason of its
 * {@code c[code,"reason"]} frame and of the WebSocket close. Tradovate documents neither
 * its codes nor its reasons, so these are the simulator's own (4000-4999 is the range RFC
 * 6455 leaves to applications).
 */
enum SocketClose {

	/** No {@code authorize} in time. */
	NOT_AUTHORIZED(4001, "Not authorized in time"),

	/** Silent (no heartbeat, no request) for longer than the heartbeat timeout. */
	HEARTBEAT_TIMEOUT(4002, "Heartbeat timeout"),

	/** The oldest connection, closed to make room; its token is revoked. */
	CONNECTION_LIMIT(4003, "Connection limit exceeded, token revoked"),

	/** Its session was closed (a later login, a password change, an admin). */
	SESSION_CLOSED(4004, "Session closed"),

	/** Every token of its session expired. */
	SESSION_EXPIRED(4005, "Session expired"),

	/** The simulator was reset or stops. */
	GOING_AWAY(1001, "Going away");

	private final int code;

	private final String reason;

	SocketClose(int code, String reason) {
		this.code = code;
		this.reason = reason;
	}

	int code() {
		return this.code;
	}

	String reason() {
		return this.reason;
	}

}
