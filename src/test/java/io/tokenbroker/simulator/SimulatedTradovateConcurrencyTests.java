package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SimulatedTradovate} under 200 concurrent callers, as the broker's load tests
 * will drive it.
 */
class SimulatedTradovateConcurrencyTests {

	private static final int CALLERS = 200;

	private final ExecutorService executor = Executors.newFixedThreadPool(CALLERS);

	private final SimulatedTradovate tradovate = TestSimulators
		.simulator(new MutableClock(Instant.parse("2026-01-15T09:30:00Z")), Map.of());

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void concurrentLoginsKeepTheSessionCap() throws Exception {
		byte[] body = TestSimulators.loginBody("sim-user", "sim-password").getBytes(StandardCharsets.UTF_8);

		List<SimulatedReply> replies = all((caller) -> this.tradovate.login(body, "10.1.0." + caller));

		Set<String> tokens = ConcurrentHashMap.newKeySet();
		replies.forEach((reply) -> tokens.add(reply.json().get("accessToken").asString()));
		assertThat(tokens).hasSize(CALLERS);
		SimulatorStats stats = this.tradovate.stats();
		assertThat(stats.successfulLogins()).isEqualTo(CALLERS);
		assertThat(stats.activeSessions("sim-user")).isEqualTo(2);
		assertThat(stats.sessionsEvicted()).isEqualTo(CALLERS - 2);
	}

	@Test
	void concurrentRenewalsOfOneTokenAllSucceedInOneSession() throws Exception {
		String token = this.tradovate.openSession("sim-user");

		List<SimulatedReply> replies = all((caller) -> this.tradovate.renew("Bearer " + token, "10.2.0." + caller));

		assertThat(replies).allSatisfy((reply) -> assertThat(reply.status()).isEqualTo(200));
		assertThat(replies.stream().map((reply) -> reply.json().get("accessToken").asString()).distinct())
			.hasSize(CALLERS);
		assertThat(this.tradovate.stats().successfulRenewals()).isEqualTo(CALLERS);
		assertThat(this.tradovate.activeSessions("sim-user")).isOne();
	}

	private List<SimulatedReply> all(Caller call) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<SimulatedReply>> futures = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			int caller = i;
			Callable<SimulatedReply> task = () -> {
				start.await();
				return call.call(caller);
			};
			futures.add(this.executor.submit(task));
		}
		start.countDown();
		List<SimulatedReply> replies = new ArrayList<>();
		for (Future<SimulatedReply> future : futures) {
			replies.add(future.get());
		}
		return replies;
	}

	@FunctionalInterface
	private interface Caller {

		SimulatedReply call(int caller);

	}

}
