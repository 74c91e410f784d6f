package io.tokenbroker.session;

import org.springframework.context.ApplicationContext;

/**
 * Test support: the sessions of a broker kept across tests back to their state at start
 * (see {@code testing.FreshBroker}).
 */
public final class SessionResets {

	private SessionResets() {
	}

	/**
	 * Every session back to knowing nothing and the token cache emptied.
	 * @return {@code false}, having reset nothing or some, while a session has a call in
	 * flight or callers waiting
	 */
	public static boolean reset(ApplicationContext application) {
		for (AccountSession session : application.getBean(AccountSessions.class).all()) {
			if (!session.reset()) {
				return false;
			}
		}
		application.getBean(TokenCache.class).reset();
		return true;
	}

}
