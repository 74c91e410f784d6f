package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Calls to Tradovate counted against one of its hourly limits, in a rolling hour.
 * Tradovate counts per IP address, so one ledger serves every account of a broker and, on
 * Redis, every replica.
 * <p>
 * A call whose cost is known only once it answers (a login counts only if it fails) takes
 * a <em>pending</em> permit: counted while it is in flight, so that calls in flight can
 * never exceed the limit together, then kept or given back by {@link #settle}. One whose
 * answer never came (a crash) stays counted.
 */
public interface HourlyLedger {

	/** Tradovate's window. */
	Duration WINDOW = Duration.ofHours(1);

	/**
	 * Spends one call, unless fewer than {@code reserve + 1} remain in the rolling hour.
	 * @return the permit, or {@code null} when the limit does not allow the call
	 */
	default Permit tryAcquire(Instant now, int reserve) {
		return tryAcquire(Permit.spent(now), reserve);
	}

	/**
	 * Spends one call whose answer is due by {@code answerBy}; settle it once it answers.
	 * @return the permit, or {@code null} when the limit does not allow the call
	 */
	default Permit tryAcquirePending(Instant now, Instant answerBy) {
		return tryAcquire(new Permit(UUID.randomUUID().toString(), now, answerBy), 0);
	}

	/** Counts this permit, unless fewer than {@code reserve + 1} calls remain. */
	Permit tryAcquire(Permit permit, int reserve);

	/** Gives a call back, for calls Tradovate does not count (a successful login). */
	void refund(Permit permit);

	/** A pending call answered: it stays counted ({@code counts}) or is given back. */
	void settle(Permit permit, boolean counts);

	/** Calls counted in the rolling hour before {@code now}, pending ones included. */
	int used(Instant now);

	/** Calls still in flight among those counted. */
	int pending(Instant now);

	/** Calls allowed in any rolling hour. */
	int limit();

	/**
	 * The earliest time at which a call that keeps this reserve can be counted:
	 * {@code now} when it can at once, the answer time of a pending call when that frees
	 * a place first, {@link Instant#MAX} when the reserve alone reaches the limit.
	 */
	Instant nextFreeAt(Instant now, int reserve);

	/**
	 * One call counted against the limit.
	 *
	 * @param id unique among permits, so that a refund removes exactly this one
	 * @param spentAt when the call was counted
	 * @param pendingUntil while the call is in flight, when its answer is due at the
	 * latest; {@code null} once it counts for good
	 */
	record Permit(String id, Instant spentAt, Instant pendingUntil) {

		static Permit spent(Instant now) {
			return new Permit(UUID.randomUUID().toString(), now, null);
		}

		/** The same call, counted for good. */
		public Permit settled() {
			return new Permit(this.id + "-settled", this.spentAt, null);
		}

		/** Whether its answer may still come at {@code now}. */
		boolean pendingAt(Instant now) {
			return this.pendingUntil != null && now.isBefore(this.pendingUntil);
		}

		/** When this permit stops counting, as far as is known at {@code now}. */
		Instant freeAt(Instant now) {
			Instant leavesWindow = this.spentAt.plus(WINDOW);
			return (pendingAt(now) && this.pendingUntil.isBefore(leavesWindow)) ? this.pendingUntil : leavesWindow;
		}

	}

}
