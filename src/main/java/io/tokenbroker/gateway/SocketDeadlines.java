package io.tokenbroker.gateway;

import java.time.Duration;
import java.time.Instant;

/**
 * The time-outs of a relayed socket, checked on the gateway's tick: a caller that
 * presents no key within {@code authorize-timeout}, an upstream socket that is not
 * authorized within the gateway's {@code timeout} and the wait for a token, and a caller
 * that sends nothing, not even its heartbeat, for {@code caller-timeout}.
 *
 * @param authorizeTimeout how long a caller may take to present its key
 * @param connectTimeout how long the upstream socket may take to open and authorize
 * @param callerTimeout how long a caller may stay silent
 */
record SocketDeadlines(Duration authorizeTimeout, Duration connectTimeout, Duration callerTimeout) {

	static SocketDeadlines of(GatewayProperties settings, Duration waitForToken) {
		return new SocketDeadlines(settings.sockets().authorizeTimeout(), settings.timeout().plus(waitForToken),
				settings.sockets().callerTimeout());
	}

	/**
	 * Why the socket closes at {@code now}, or {@code null} while it may stay open.
	 * @param since when the socket entered its phase
	 * @param heard when the caller last sent a frame
	 */
	SocketClosure passed(SocketPhase phase, Instant since, Instant heard, Instant now) {
		if (phase == SocketPhase.CLOSED) {
			return null;
		}
		if (phase == SocketPhase.AWAITING_KEY && !now.isBefore(since.plus(this.authorizeTimeout))) {
			return SocketClosure.AUTHORIZE_TIMEOUT;
		}
		if (phase == SocketPhase.CONNECTING && !now.isBefore(since.plus(this.connectTimeout))) {
			return SocketClosure.UPSTREAM_FAILED;
		}
		return now.isBefore(heard.plus(this.callerTimeout)) ? null : SocketClosure.HEARTBEAT_TIMEOUT;
	}

}
