package io.tokenbroker.caller;

import org.springframework.context.ApplicationContext;

/**
 * Test support: the failed authentications of a broker kept across tests forgotten (see
 * {@code testing.FreshBroker}).
 */
public final class CallerResets {

	private CallerResets() {
	}

	public static void reset(ApplicationContext application) {
		application.getBeanProvider(FailedAuthentications.class).ifAvailable(FailedAuthentications::reset);
	}

}
