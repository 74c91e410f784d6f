package io.tokenbroker.gateway;

import org.springframework.web.socket.CloseStatus;

/**
 * Why the gateway closes a caller's WebSocket itself: the close code (RFC 6455's own, or
 * 4000 plus the HTTP status that means the same, in the range left to applications) and a
 * reason a person can act on. The caller gets them twice, as Tradovate closes its
 * sockets: in a {@code c[code,"reason"]} frame, then in the WebSocket close.
 */
enum SocketClosure {

	/** The authorize frame carried no client's key. */
	WRONG_KEY(4401, "Invalid client key", Refusal.UNAUTHORIZED),

	/** The client may not use the gateway, or not on this account. */
	NOT_ALLOWED(4403, "This client key may not use the gateway on this account", Refusal.NOT_ALLOWED),

	/** No such account. */
	UNKNOWN_ACCOUNT(4404, "No account with this id is configured", Refusal.UNKNOWN_ACCOUNT),

	/** No key presented in time. */
	AUTHORIZE_TIMEOUT(4408, "Not authorized in time: send authorize with your client key", Refusal.AUTHORIZE_TIMEOUT),

	/** The caller fell silent. */
	HEARTBEAT_TIMEOUT(4408, "Heartbeat timeout: send [] every 2.5 s", Refusal.HEARTBEAT_TIMEOUT),

	/** Requests piled up before the upstream socket was ready. */
	TOO_EARLY(4409, "Too many requests before authorize was answered", Refusal.TOO_EARLY),

	/** The address is locked out after wrong keys. */
	LOCKED_OUT(4429, "Too many failed authentications from this address: try again later", Refusal.LOCKED_OUT),

	/** The fleet holds its ceiling of upstream sockets for this Tradovate user. */
	SOCKET_LIMIT(4429, "The broker's WebSocket ceiling for this Tradovate user is reached: close one or try later",
			Refusal.SOCKET_LIMIT),

	/** No token to authorize with now. */
	NO_TOKEN(1013, "The broker has no Tradovate token now: reconnect shortly", Refusal.NO_TOKEN),

	/** Tradovate's socket could not be opened or authorized. */
	UPSTREAM_FAILED(1013, "Tradovate's WebSocket could not be opened: reconnect shortly", Refusal.UPSTREAM_FAILED),

	/** The fleet's sockets cannot be counted now. */
	STORE_UNAVAILABLE(1013, "The broker cannot count its WebSockets now: reconnect shortly", Refusal.STORE_UNAVAILABLE),

	/** The broker logged in anew: sockets of the old session are gone. */
	SESSION_REPLACED(1012, "The broker's Tradovate session was replaced: reconnect", null),

	/** The broker stops. */
	GOING_AWAY(1001, "The broker is shutting down: reconnect", null);

	private final int code;

	private final String reason;

	private final Refusal refusal;

	SocketClosure(int code, String reason, Refusal refusal) {
		this.code = code;
		this.reason = reason;
		this.refusal = refusal;
	}

	int code() {
		return this.code;
	}

	String reason() {
		return this.reason;
	}

	/** What the metrics count it as, or {@code null} when it refuses nothing. */
	Refusal refusal() {
		return this.refusal;
	}

	CloseStatus status() {
		return new CloseStatus(this.code, this.reason);
	}

}
