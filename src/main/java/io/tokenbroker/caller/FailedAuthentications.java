package io.tokenbroker.caller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed authentications per remote address. Past the free failures, each failure locks
 * the address out for twice as long as the previous one, so guessing keys slows to a
 * crawl, while other addresses are not affected. Memory is bounded: at most 100 000
 * addresses are remembered, each for the failure window.
 */
public class FailedAuthentications {

	private static final int MOST_ADDRESSES = 100_000;

	private final CallerSecurityProperties settings;

	private final Clock clock;

	private final Cache<String, Failures> byAddress;

	public FailedAuthentications(CallerSecurityProperties settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.byAddress = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfterAccess(settings.failureWindow().plus(settings.maxLockOut()))
			.maximumSize(MOST_ADDRESSES)
			.build();
	}

	/** How long the address is still locked out; zero when it may try. */
	public Duration lockedFor(String address) {
		Failures failures = this.byAddress.getIfPresent(address);
		return (failures != null) ? failures.lockedFor(this.clock.instant()) : Duration.ZERO;
	}

	/** Counts a failed authentication and returns the lock-out it earned, if any. */
	public Duration recordFailure(String address) {
		Instant now = this.clock.instant();
		return this.byAddress.get(address, (key) -> new Failures()).record(now, this.settings);
	}

	/** A successful authentication clears the address's record. */
	public void recordSuccess(String address) {
		if (this.byAddress.getIfPresent(address) != null) {
			this.byAddress.invalidate(address);
		}
	}

	private static final class Failures {

		private final Deque<Instant> recent = new ArrayDeque<>();

		private Instant lockedUntil = Instant.MIN;

		synchronized Duration lockedFor(Instant now) {
			return now.isBefore(this.lockedUntil) ? Duration.between(now, this.lockedUntil) : Duration.ZERO;
		}

		synchronized Duration record(Instant now, CallerSecurityProperties settings) {
			Instant windowStart = now.minus(settings.failureWindow());
			while (!this.recent.isEmpty() && this.recent.peekFirst().isBefore(windowStart)) {
				this.recent.removeFirst();
			}
			this.recent.addLast(now);
			int beyondFree = this.recent.size() - settings.freeFailures();
			if (beyondFree <= 0) {
				return Duration.ZERO;
			}
			Duration lockOut = Duration.ofSeconds(1L << Math.min(beyondFree - 1, 30));
			if (lockOut.compareTo(settings.maxLockOut()) > 0) {
				lockOut = settings.maxLockOut();
			}
			this.lockedUntil = now.plus(lockOut);
			return lockOut;
		}

	}

}
