package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenewalPolicyTests {

	private static final Instant EXPIRY = Instant.parse("2026-01-15T09:20:00Z");

	private final SessionProperties.Retry retry = new SessionProperties.Retry(Duration.ofSeconds(5),
			Duration.ofMinutes(5), Duration.ofHours(1));

	private static HeldToken token(Duration lifetime) {
		return new HeldToken("main", "A", null, EXPIRY, lifetime, EXPIRY.minus(lifetime), null, 1, "fp");
	}

	private RenewalPolicy policy(double jitter, Random random) {
		return new RenewalPolicy(new SessionProperties.Renewal(Duration.ofMinutes(10), 0.25, jitter,
				Duration.ofSeconds(5), Duration.ofSeconds(1), 3, Duration.ofMinutes(1), 4, 4), this.retry, random);
	}

	@Test
	void anEightyMinuteTokenRenewsTenMinutesBeforeItStopsBeingServed() {
		assertThat(policy(0, new Random()).renewAt(token(Duration.ofMinutes(80))))
			.isEqualTo(EXPIRY.minus(Duration.ofMinutes(10)).minusSeconds(5));
	}

	@Test
	void aSixtySecondTokenRenewsAQuarterOfItsServedTimeBeforeItStopsBeingServed() {
		// served for 55 s (5 s margin): renewal 13.75 s before it stops being served
		assertThat(policy(0, new Random()).renewAt(token(Duration.ofSeconds(60))))
			.isEqualTo(EXPIRY.minusSeconds(5).minusMillis(13_750));
	}

	@Test
	void evenATokenBarelyLongerThanTheMarginIsRenewedWhileServed() {
		HeldToken token = token(Duration.ofSeconds(6));
		assertThat(policy(0, new Random()).renewAt(token)).isBefore(EXPIRY.minusSeconds(5));
	}

	@Test
	void aRetryNeverComesAfterHalfTheTimeTheTokenIsStillServed() {
		RenewalPolicy policy = policy(0, new Random(3));
		HeldToken token = token(Duration.ofSeconds(40));
		Instant now = EXPIRY.minusSeconds(25);

		// 20 s still served: the next attempt within 10 s, whatever the back-off says
		assertThat(policy.retryAfter(6, token, now)).isLessThanOrEqualTo(Duration.ofSeconds(10));
		assertThat(policy.retryAfter(6, null, now)).isGreaterThan(Duration.ofSeconds(10));
	}

	@Test
	void jitterOnlyEverMovesRenewalEarlierWithinItsShare() {
		RenewalPolicy policy = policy(0.1, new Random(7));
		for (int i = 0; i < 1000; i++) {
			Instant renewAt = policy.renewAt(token(Duration.ofMinutes(80)));
			assertThat(renewAt).isBetween(EXPIRY.minus(Duration.ofMinutes(11)).minusSeconds(5),
					EXPIRY.minus(Duration.ofMinutes(10)).minusSeconds(5));
		}
	}

	@Test
	void backOffDoublesWithinHalfAndFullStepUpToTheCap() {
		RenewalPolicy policy = policy(0, new Random(3));
		for (int failures = 1; failures <= 40; failures++) {
			long stepMillis = Math.min(Duration.ofMinutes(5).toMillis(), 5000L << Math.min(failures - 1, 30));
			assertThat(policy.backOff(failures).toMillis()).isBetween(stepMillis / 2, stepMillis);
		}
	}

}
