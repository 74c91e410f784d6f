package io.tokenbroker.simulator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind {@link SimulatorStats}. Thread-safe without the simulator's lock.
 */
final class SimulatorCounters {

	final AtomicLong loginCalls = new AtomicLong();

	final AtomicLong successfulLogins = new AtomicLong();

	final AtomicLong failedLogins = new AtomicLong();

	final AtomicLong renewalCalls = new AtomicLong();

	final AtomicLong successfulRenewals = new AtomicLong();

	final AtomicLong meCalls = new AtomicLong();

	final AtomicLong failedMeCalls = new AtomicLong();

	final AtomicLong penaltiesIssued = new AtomicLong();

	final AtomicLong captchasIssued = new AtomicLong();

	final AtomicLong faultsInjected = new AtomicLong();

	final AtomicLong sessionsEvicted = new AtomicLong();

	private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

	void received(String endpoint) {
		this.requests.computeIfAbsent(endpoint.toLowerCase(Locale.ROOT), (key) -> new AtomicLong()).incrementAndGet();
	}

	SimulatorStats snapshot(Map<String, Integer> activeSessions, Map<String, Integer> openSockets,
			Map<String, Integer> revocations) {
		Map<String, Long> received = new LinkedHashMap<>();
		this.requests.forEach((endpoint, count) -> received.put(endpoint, count.get()));
		return new SimulatorStats(this.loginCalls.get(), this.successfulLogins.get(), this.failedLogins.get(),
				this.renewalCalls.get(), this.successfulRenewals.get(), this.meCalls.get(), this.failedMeCalls.get(),
				this.penaltiesIssued.get(), this.captchasIssued.get(), this.faultsInjected.get(),
				this.sessionsEvicted.get(), activeSessions, openSockets, revocations, received);
	}

	void clear() {
		for (AtomicLong counter : new AtomicLong[] { this.loginCalls, this.successfulLogins, this.failedLogins,
				this.renewalCalls, this.successfulRenewals, this.meCalls, this.failedMeCalls, this.penaltiesIssued,
				this.captchasIssued, this.faultsInjected, this.sessionsEvicted }) {
			counter.set(0);
		}
		this.requests.clear();
	}

}
