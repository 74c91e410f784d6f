package io.tokenbroker.store;

import java.util.function.Consumer;

/**
 * The store's role as the fleet's message bus: notices of records another replica wrote,
 * and messages between replicas. Nothing is carried by an unshared store.
 */
public interface FleetMessages {

	/** Sends a message to every other replica; nothing happens for an unshared store. */
	void publish(String message);

	/**
	 * @param changed hears the id of each account whose record another replica wrote
	 * @param messages hears every message published by another replica
	 */
	void subscribe(Consumer<String> changed, Consumer<String> messages);

}
