package io.tokenbroker.session;

import java.util.List;

/**
 * What an account's lifecycle tells operators about, such as metrics. Called under the
 * session's lock: implementations must be quick and must not call back into the session.
 */
public interface SessionEvents {

	/** Tells nobody. */
	SessionEvents NONE = (account, state) -> {
	};

	/** Tells each of these, in order; nobody when there are none. */
	static SessionEvents all(List<SessionEvents> listeners) {
		if (listeners.isEmpty()) {
			return NONE;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		List<SessionEvents> each = List.copyOf(listeners);
		return new SessionEvents() {

			@Override
			public void storedTokenUnreadable(String account) {
				each.forEach((listener) -> listener.storedTokenUnreadable(account));
			}

			@Override
			public void loginStarted(String account, LoginReason reason) {
				each.forEach((listener) -> listener.loginStarted(account, reason));
			}

			@Override
			public void sessionChecked(String account, String outcome) {
				each.forEach((listener) -> listener.sessionChecked(account, outcome));
			}

			@Override
			public void tokenRevoked(String account, RevocationCause cause) {
				each.forEach((listener) -> listener.tokenRevoked(account, cause));
			}

			@Override
			public void leaseChanged(String account, boolean gained) {
				each.forEach((listener) -> listener.leaseChanged(account, gained));
			}

			@Override
			public void waitImposed(String account, SessionState state) {
				each.forEach((listener) -> listener.waitImposed(account, state));
			}

		};
	}

	/**
	 * The token kept in the store for an account cannot be opened (a missing or wrong
	 * store key, or an altered entry).
	 * @param account account id
	 */
	default void storedTokenUnreadable(String account) {
	}

	/**
	 * The broker opens a new session for an account.
	 * @param account account id
	 * @param reason why
	 */
	default void loginStarted(String account, LoginReason reason) {
	}

	/**
	 * A liveness check answered: {@code open}, {@code closed} (the session is gone),
	 * {@code failed} (no answer to go by) or {@code skipped} (Tradovate's allowance of
	 * failed checks is spent).
	 * @param account account id
	 * @param outcome what it found
	 */
	default void sessionChecked(String account, String outcome) {
	}

	/**
	 * Tradovate no longer accepts a token the broker served: its session was closed or
	 * the token revoked upstream (a user logged in elsewhere, callers went past a
	 * WebSocket limit, a caller renewed by itself). One login replaces it.
	 * @param account account id
	 * @param cause how the broker learned of it
	 */
	default void tokenRevoked(String account, RevocationCause cause) {
	}

	/**
	 * This replica took ({@code gained}) or lost an account's lease.
	 * @param account account id
	 * @param gained whether it took it
	 */
	default void leaseChanged(String account, boolean gained) {
	}

	/**
	 * Tradovate made an account wait: a penalty ticket ({@link SessionState#PENALIZED}),
	 * a captcha demand ({@link SessionState#CAPTCHA_REQUIRED}), a lock-out
	 * ({@link SessionState#LOCKED_OUT}) or refused credentials
	 * ({@link SessionState#REJECTED}).
	 * @param account account id
	 * @param state the waiting state the account entered
	 */
	void waitImposed(String account, SessionState state);

}
