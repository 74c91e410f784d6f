package io.tokenbroker.store;

import org.springframework.context.ApplicationContext;

/**
 * Test support: the memory store of a broker kept across tests back to its state at start
 * (see {@code testing.FreshBroker}).
 */
public final class StoreResets {

	private StoreResets() {
	}

	/** Whether the broker keeps its state in memory only, where it can be forgotten. */
	public static boolean inMemory(ApplicationContext application) {
		return application.getBean(StateStore.class).getClass() == MemoryStateStore.class;
	}

	/** Every record and every counted call forgotten. */
	public static void reset(ApplicationContext application) {
		((MemoryStateStore) application.getBean(StateStore.class)).reset();
	}

}
