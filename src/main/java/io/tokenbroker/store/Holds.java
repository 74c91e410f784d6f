package io.tokenbroker.store;

import java.time.Instant;

/**
 * Named holds that end at an instant, shared like the store: what is held (say calls of
 * an endpoint Tradovate penalized, until its {@code p-time} ends) is held on every
 * replica. Local for the memory and file stores, in Redis for a fleet. Every method may
 * throw {@link StoreUnavailableException}.
 */
public interface Holds {

	/**
	 * Holds {@code name} until {@code until}, or longer when it is held longer already.
	 */
	void hold(String name, Instant until, Instant now);

	/**
	 * When the hold on {@code name} ends, or {@code null} when none is in force at now.
	 */
	Instant heldUntil(String name, Instant now);

}
