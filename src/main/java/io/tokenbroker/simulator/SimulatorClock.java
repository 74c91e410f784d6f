package io.tokenbroker.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulator's "now": the application clock plus an offset that tests move at run
 * time, so the broker can be shown a server whose clock disagrees with its own.
 */
final class SimulatorClock {

	private final Clock clock;

	private final Duration initialOffset;

	private final AtomicReference<Duration> offset;

	SimulatorClock(Clock clock, Duration offset) {
		this.clock = clock;
		this.initialOffset = offset;
		this.offset = new AtomicReference<>(offset);
	}

	Instant now() {
		return this.clock.instant().plus(this.offset.get());
	}

	Duration offset() {
		return this.offset.get();
	}

	void setOffset(Duration offset) {
		this.offset.set(offset);
	}

	void advance(Duration amount) {
		this.offset.accumulateAndGet(amount, Duration::plus);
	}

	void resetOffset() {
		this.offset.set(this.initialOffset);
	}

}
