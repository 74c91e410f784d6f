package io.tokenbroker.store;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Holds} in memory, for a broker that runs alone (memory and file stores). A hold
 * lasts seconds to minutes, so one lost to a restart costs at most one more answer from
 * Tradovate that says to wait.
 */
class LocalHolds implements Holds {

	private final Map<String, Instant> holds = new ConcurrentHashMap<>();

	@Override
	public void hold(String name, Instant until, Instant now) {
		this.holds.merge(name, until, (held, asked) -> held.isAfter(asked) ? held : asked);
	}

	@Override
	public Instant heldUntil(String name, Instant now) {
		Instant until = this.holds.get(name);
		if (until != null && !until.isAfter(now)) {
			this.holds.remove(name, until);
			return null;
		}
		return until;
	}

}
