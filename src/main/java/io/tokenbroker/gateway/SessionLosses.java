package io.tokenbroker.gateway;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.ObjectProvider;

import io.tokenbroker.session.LoginReason;
import io.tokenbroker.session.SessionEvents;
import io.tokenbroker.session.SessionState;

/**
 * Hears when the broker opens a new Tradovate session for an account: the sockets of the
 * old one are gone (Tradovate closes them, or they serve a session nobody renews), so the
 * gateway closes them, on every replica, with a reason that says to reconnect. A renewal
 * keeps the session and leaves them open.
 */
final class SessionLosses implements SessionEvents {

	private final ObjectProvider<OpenSockets> open;

	private final Executor executor;

	/**
	 * @param open the sockets, looked up when needed: the sessions hear of this listener
	 * before the gateway exists
	 */
	SessionLosses(ObjectProvider<OpenSockets> open, Executor executor) {
		this.open = open;
		this.executor = executor;
	}

	@Override
	public void loginStarted(String account, LoginReason reason) {
		// called under the session's lock: the sockets close elsewhere
		this.executor.execute(() -> this.open.ifAvailable((sockets) -> sockets.sessionReplaced(account)));
	}

	@Override
	public void waitImposed(String account, SessionState state) {
	}

}
