package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Tradovate's per-user limit on authenticated requests (partner docs, "Rate Limits":
 * 5,000 an hour): past it the user first gets 423 ("about to be locked out"), then 429
 * with an empty body until a whole lock period passes without a request, since "requests
 * made during the window will reset the lockout". Not thread-safe: the lock of
 * {@link SimulatorState} guards it.
 */
final class UserRequestLimit {

	private final Map<String, UserRecord> users = new HashMap<>();

	/**
	 * Count one authenticated request of a user.
	 * @param username the user
	 * @param now the simulator's now
	 * @param limits the limits in force
	 * @return 0 when the request may be processed, else the HTTP status to answer (423 or
	 * 429)
	 */
	int admit(String username, Instant now, SimulatorProperties.Limits limits) {
		int limit = limits.requestsPerHour();
		if (limit <= 0) {
			return 0;
		}
		UserRecord user = this.users.computeIfAbsent(username, (name) -> new UserRecord());
		if (user.lockedUntil != null && now.isBefore(user.lockedUntil)) {
			user.lockedUntil = now.plus(limits.userLock());
			return 429;
		}
		Instant horizon = now.minus(PenaltyBox.WINDOW);
		while (!user.requests.isEmpty() && !user.requests.peekFirst().isAfter(horizon)) {
			user.requests.removeFirst();
		}
		if (user.requests.size() >= limit) {
			user.lockedUntil = now.plus(limits.userLock());
			user.requests.clear();
			return 423;
		}
		user.requests.addLast(now);
		return 0;
	}

	/**
	 * Forget users with nothing left in the window.
	 * @param now the simulator's now
	 */
	void prune(Instant now) {
		Instant horizon = now.minus(PenaltyBox.WINDOW);
		this.users.values()
			.removeIf((user) -> (user.lockedUntil == null || !now.isBefore(user.lockedUntil))
					&& (user.requests.isEmpty() || !user.requests.peekLast().isAfter(horizon)));
	}

	void clear() {
		this.users.clear();
	}

	/**
	 * Remaining lock of a user, for tests and stats.
	 * @param username the user
	 * @param now the simulator's now
	 * @return how long it stays locked, zero when it is not
	 */
	Duration lockRemaining(String username, Instant now) {
		UserRecord user = this.users.get(username);
		return (user != null && user.lockedUntil != null && now.isBefore(user.lockedUntil))
				? Duration.between(now, user.lockedUntil) : Duration.ZERO;
	}

	private static final class UserRecord {

		private final Deque<Instant> requests = new ArrayDeque<>();

		private Instant lockedUntil;

	}

}
