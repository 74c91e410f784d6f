package io.tokenbroker.caller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed authentications per remote address (IPv6 callers by their /64 network, which one
 * caller usually holds whole). Past the free failures, each failure locks the address out
 * for twice as long as the previous one, so guessing keys slows to a crawl, while other
 * addresses are not affected. A right key erases nothing: a key holder cannot guess other
 * keys by mixing in its own. Memory is bounded: at most 100 000 addresses are remembered,
 * each for the failure window.
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
		Failures failures = this.byAddress.getIfPresent(group(address));
		return (failures != null) ? failures.lockedFor(this.clock.instant()) : Duration.ZERO;
	}

	/** Counts a failed authentication and returns the lock-out it earned, if any. */
	public Duration recordFailure(String address) {
		Instant now = this.clock.instant();
		return this.byAddress.get(group(address), (key) -> new Failures()).record(now, this.settings);
	}

	/**
	 * Forgets every failure and lock-out, for tests that keep one broker across tests.
	 * Package-private: nothing a caller reaches calls it.
	 */
	void reset() {
		this.byAddress.invalidateAll();
	}

	/** An IPv4 address as it is; an IPv6 one as its /64 network. */
	static String group(String address) {
		if (address.indexOf(':') < 0) {
			// no IPv6 literal: kept as it is, without parsing it on every request
			return address;
		}
		byte[] bytes = ClientAddresses.literal(address);
		if (bytes == null || bytes.length == 4) {
			return address;
		}
		return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
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
