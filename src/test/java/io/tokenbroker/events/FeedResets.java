package io.tokenbroker.events;

import java.util.concurrent.ExecutionException;

import org.springframework.context.ApplicationContext;

/**
 * Test support: the token event feeds of a broker kept across tests back to their state
 * at start, every stream ended (see {@code testing.FreshBroker}).
 */
public final class FeedResets {

	private FeedResets() {
	}

	public static void reset(ApplicationContext application) throws InterruptedException, ExecutionException {
		TokenFeeds feeds = application.getBeanProvider(TokenFeeds.class).getIfAvailable();
		if (feeds != null) {
			feeds.reset();
		}
	}

}
