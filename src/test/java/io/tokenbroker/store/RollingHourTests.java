package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RollingHourTests {

	private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	@Test
	void allowsABurstUpToTheLimitThenRefuses() {
		RollingHour budget = new RollingHour(3);

		assertThat(budget.tryAcquire(T0, 0)).isNotNull();
		assertThat(budget.tryAcquire(T0, 0)).isNotNull();
		assertThat(budget.tryAcquire(T0, 0)).isNotNull();
		assertThat(budget.tryAcquire(T0, 0)).isNull();
		assertThat(budget.used(T0)).isEqualTo(3);
	}

	@Test
	void aCallLeavesTheWindowOneHourAfterItWasSpent() {
		RollingHour budget = new RollingHour(1);
		budget.tryAcquire(T0, 0);

		assertThat(budget.nextFreeAt(T0.plusSeconds(10), 0)).isEqualTo(T0.plus(Duration.ofHours(1)));
		assertThat(budget.tryAcquire(T0.plus(Duration.ofMinutes(59)), 0)).isNull();
		assertThat(budget.tryAcquire(T0.plus(Duration.ofHours(1)), 0)).isNotNull();
	}

	@Test
	void aReserveKeepsTheLastCallsForWhoeverAsksWithoutOne() {
		RollingHour budget = new RollingHour(3);

		assertThat(budget.tryAcquire(T0, 2)).isNotNull();
		assertThat(budget.tryAcquire(T0, 2)).isNull();
		assertThat(budget.tryAcquire(T0, 0)).isNotNull();
	}

	@Test
	void aRefundedCallDoesNotCount() {
		RollingHour budget = new RollingHour(1);

		budget.refund(budget.tryAcquire(T0, 0));

		assertThat(budget.used(T0)).isZero();
		assertThat(budget.tryAcquire(T0, 0)).isNotNull();
	}

}
