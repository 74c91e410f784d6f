package io.tokenbroker.caller;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class FailedAuthenticationsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private final FailedAuthentications failures = new FailedAuthentications(
			new CallerSecurityProperties(5, Duration.ofMinutes(15), Duration.ofMinutes(15), List.of()), this.clock);

	@Test
	void theFreeFailuresLockNothing() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.failures.recordFailure("10.0.0.1")).isZero();
		}
		assertThat(this.failures.lockedFor("10.0.0.1")).isZero();
	}

	@Test
	void eachFurtherFailureDoublesTheLockOutUpToTheCap() {
		for (int i = 0; i < 5; i++) {
			this.failures.recordFailure("10.0.0.1");
		}
		long[] expectedSeconds = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900 };
		for (long seconds : expectedSeconds) {
			assertThat(this.failures.recordFailure("10.0.0.1")).isEqualTo(Duration.ofSeconds(seconds));
			assertThat(this.failures.lockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(seconds));
		}
	}

	@Test
	void aLockOutEndsOnTime() {
		for (int i = 0; i < 6; i++) {
			this.failures.recordFailure("10.0.0.1");
		}
		this.clock.advance(Duration.ofMillis(999));
		assertThat(this.failures.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMillis(1));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.failures.lockedFor("10.0.0.1")).isZero();
	}

	@Test
	void otherAddressesAreNotAffected() {
		for (int i = 0; i < 10; i++) {
			this.failures.recordFailure("10.0.0.1");
		}
		assertThat(this.failures.lockedFor("10.0.0.1")).isPositive();
		assertThat(this.failures.lockedFor("10.0.0.2")).isZero();
		assertThat(this.failures.recordFailure("10.0.0.2")).isZero();
	}

	@Test
	void failuresAreForgottenAfterTheWindow() {
		for (int i = 0; i < 5; i++) {
			this.failures.recordFailure("10.0.0.1");
		}
		this.clock.advance(Duration.ofMinutes(16));
		assertThat(this.failures.recordFailure("10.0.0.1")).isZero();
	}

	@Test
	void ipv6CallersAreCountedByTheirSlash64() {
		for (int i = 0; i < 6; i++) {
			this.failures.recordFailure("2001:db8:1:2:0:0:0:" + Integer.toHexString(i + 1));
		}
		assertThat(this.failures.lockedFor("2001:db8:1:2::ffff")).isPositive();
		assertThat(this.failures.lockedFor("2001:db8:1:3::1")).isZero();
	}

}
