package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to renew a token and how long to wait after a failure.
 */
public class RenewalPolicy {

	private final SessionProperties.Renewal renewal;

	private final SessionProperties.Retry retry;

	private final RandomGenerator random;

	public RenewalPolicy(SessionProperties.Renewal renewal, SessionProperties.Retry retry, RandomGenerator random) {
		this.renewal = renewal;
		this.retry = retry;
		this.random = random;
	}

	/**
	 * Renewal starts the configured lead before the token stops being served (its expiry
	 * less the safety margin), or the lead fraction of the time it is served when that is
	 * shorter, plus a random part of the jitter: however short the token, it is renewed
	 * while it is still served, never replaced by a new login.
	 */
	public Instant renewAt(HeldToken token) {
		Duration served = token.lifetime().minus(this.renewal.expiryMargin());
		Duration byFraction = Duration.ofNanos((long) (Math.max(0, served.toNanos()) * this.renewal.leadFraction()));
		Duration lead = min(this.renewal.lead(), byFraction);
		long jitterNanos = (long) (lead.toNanos() * this.renewal.jitter() * this.random.nextDouble());
		return servedUntil(token).minus(lead).minusNanos(jitterNanos);
	}

	/** When the token stops being served: its expiry less the safety margin. */
	public Instant servedUntil(HeldToken token) {
		return token.expiresAt().minus(this.renewal.expiryMargin());
	}

	/**
	 * The wait before the next attempt after {@code failures} failures in a row: the
	 * back-off, but never later than halfway to the moment the token held stops being
	 * served, so that a renewal is always retried before the token lapses.
	 * @param held the token still served, or {@code null}
	 */
	public Duration retryAfter(int failures, HeldToken held, Instant now) {
		Duration wait = backOff(failures);
		if (held == null) {
			return wait;
		}
		Duration halfway = Duration.between(now, servedUntil(held)).dividedBy(2);
		return halfway.isNegative() ? Duration.ZERO : min(wait, halfway);
	}

	/**
	 * Capped exponential back-off with "equal jitter": at least half of the step, so
	 * retries never bunch up at zero.
	 * @param failures consecutive failures so far, at least 1
	 */
	public Duration backOff(int failures) {
		int doublings = Math.min(Math.max(failures - 1, 0), 30);
		Duration step = min(this.retry.maxBackOff(), this.retry.initialBackOff().multipliedBy(1L << doublings));
		long half = step.toMillis() / 2;
		return Duration.ofMillis(half + (long) (half * this.random.nextDouble()));
	}

	public Duration coolDown() {
		return this.retry.coolDown();
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
