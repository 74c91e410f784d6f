package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Calls to Tradovate counted against one of its hourly limits, in a rolling hour.
 * Tradovate counts per IP address, so one ledger serves every account of a broker and, on
 * Redis, every replica.
 */
public interface HourlyLedger {

	/** Tradovate's window. */
	Duration WINDOW = Duration.ofHours(1);

	/**
	 * Spends one call, unless fewer than {@code reserve + 1} remain in the rolling hour.
	 * @return the permit, or {@code null} when the limit does not allow the call
	 */
	Permit tryAcquire(Instant now, int reserve);

	/** Gives a call back, for calls Tradovate does not count (a successful login). */
	void refund(Permit permit);

	/** Calls counted in the rolling hour before {@code now}. */
	int used(Instant now);

	/** Calls allowed in any rolling hour. */
	int limit();

	/**
	 * The earliest time at which {@link #tryAcquire(Instant, int)} with this reserve can
	 * succeed: {@code now} when it can at once, {@link Instant#MAX} when the reserve
	 * alone reaches the limit.
	 */
	Instant nextFreeAt(Instant now, int reserve);

	/**
	 * One call counted against the limit.
	 *
	 * @param id unique among permits, so that a refund removes exactly this one
	 * @param spentAt when the call was counted
	 */
	record Permit(String id, Instant spentAt) {
	}

}
