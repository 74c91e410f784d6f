package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import io.tokenbroker.account.BrokerProperties;

/**
 * When to renew a token and how long to wait after a failure.
 */
public class RenewalPolicy {

	private final BrokerProperties.Renewal renewal;

	private final BrokerProperties.Retry retry;

	private final RandomGenerator random;

	public RenewalPolicy(BrokerProperties.Renewal renewal, BrokerProperties.Retry retry, RandomGenerator random) {
		this.renewal = renewal;
		this.retry = retry;
		this.random = random;
	}

	/**
	 * Renewal starts the configured lead before expiry, or the lead fraction of the
	 * token's lifetime when that is shorter, plus a random part of the jitter.
	 */
	public Instant renewAt(HeldToken token) {
		Duration byFraction = Duration.ofNanos((long) (token.lifetime().toNanos() * this.renewal.leadFraction()));
		Duration lead = min(this.renewal.lead(), byFraction);
		long jitterNanos = (long) (lead.toNanos() * this.renewal.jitter() * this.random.nextDouble());
		return token.expiresAt().minus(lead).minusNanos(jitterNanos);
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
