package io.tokenbroker.session;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sessions' way to wake the renewal schedule, made before the schedule exists: the
 * first login can be answered while the context is still making beans.
 */
class ScheduleWakeTests {

	private final ScheduleWake wake = new ScheduleWake();

	private final AtomicInteger passes = new AtomicInteger();

	@Test
	void aWakeBeforeTheScheduleIsAttachedDoesNothing() {
		this.wake.run();

		this.wake.attach(this.passes::incrementAndGet);
		assertThat(this.passes).hasValue(0);
	}

	@Test
	void onceAttachedEachWakeReachesTheSchedule() {
		this.wake.attach(this.passes::incrementAndGet);

		this.wake.run();
		this.wake.run();

		assertThat(this.passes).hasValue(2);
	}

}
