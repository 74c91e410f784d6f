package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * An endpoint-level limit of Tradovate's (partner docs, "Rate Limits":
 * {@code syncrequest} 300 calls an hour per IP address, every call counted, back-off 3
 * s): past it, and for the back-off after, every call of the endpoint from that address
 * is answered with a penalty instead of being processed. Not thread-safe: the lock of
 * {@link SimulatorState} guards it.
 */
final class EndpointLimit {

	private final Map<String, Deque<Instant>> calls = new HashMap<>();

	private final Map<String, Instant> backOffUntil = new HashMap<>();

	/**
	 * Count a call from an address.
	 * @param clientIp the caller's address
	 * @param now the simulator's now
	 * @param limit calls an hour; 0 for no limit
	 * @param pTime the back-off a penalty imposes
	 * @return the p-time to answer with, or {@code null} when the call is processed
	 */
	Duration admit(String clientIp, Instant now, int limit, Duration pTime) {
		if (limit <= 0) {
			return null;
		}
		Instant until = this.backOffUntil.get(clientIp);
		if (until != null && now.isBefore(until)) {
			return Duration.between(now, until);
		}
		Deque<Instant> window = this.calls.computeIfAbsent(clientIp, (ip) -> new ArrayDeque<>());
		Instant horizon = now.minus(PenaltyBox.WINDOW);
		while (!window.isEmpty() && !window.peekFirst().isAfter(horizon)) {
			window.removeFirst();
		}
		if (window.size() >= limit) {
			this.backOffUntil.put(clientIp, now.plus(pTime));
			return pTime;
		}
		window.addLast(now);
		return null;
	}

	void clear() {
		this.calls.clear();
		this.backOffUntil.clear();
	}

}
