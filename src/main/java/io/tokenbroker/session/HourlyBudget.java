package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} calls in any rolling hour: a budget, not a pace. Calls may come
 * in a burst as long as the hour's count stays under the limit.
 */
public class HourlyBudget {

	static final Duration WINDOW = Duration.ofHours(1);

	private final int limit;

	private final Deque<Permit> spent = new ArrayDeque<>();

	public HourlyBudget(int limit) {
		this.limit = limit;
	}

	/**
	 * Spends one call, unless fewer than {@code reserve + 1} remain in the current hour.
	 * @return the permit, or {@code null} when the budget does not allow the call
	 */
	public synchronized Permit tryAcquire(Instant now, int reserve) {
		forgetBefore(now);
		if (this.spent.size() + reserve >= this.limit) {
			return null;
		}
		Permit permit = new Permit(now);
		this.spent.addLast(permit);
		return permit;
	}

	/** Gives a call back, for calls Tradovate does not count (a successful login). */
	public synchronized void refund(Permit permit) {
		this.spent.remove(permit);
	}

	public synchronized int used(Instant now) {
		forgetBefore(now);
		return this.spent.size();
	}

	public int limit() {
		return this.limit;
	}

	/** When the oldest call leaves the window and frees a place. */
	public synchronized Instant nextFreeAt(Instant now) {
		forgetBefore(now);
		Permit oldest = this.spent.peekFirst();
		return (oldest != null && this.spent.size() >= this.limit) ? oldest.spentAt().plus(WINDOW) : now;
	}

	private void forgetBefore(Instant now) {
		Instant windowStart = now.minus(WINDOW);
		while (!this.spent.isEmpty() && !this.spent.peekFirst().spentAt().isAfter(windowStart)) {
			this.spent.removeFirst();
		}
	}

	/** One call counted against the budget. Compared by identity. */
	public static final class Permit {

		private final Instant spentAt;

		Permit(Instant spentAt) {
			this.spentAt = spentAt;
		}

		Instant spentAt() {
			return this.spentAt;
		}

	}

}
