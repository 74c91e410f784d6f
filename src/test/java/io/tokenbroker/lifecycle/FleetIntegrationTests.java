package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.BrokerProcess;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.FleetLoad;
import io.tokenbroker.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet as it is deployed, in one smoke test: three broker processes (the packaged
 * jar) sharing one Redis (a container) and one simulator, in real time with 20-second
 * tokens, under concurrent callers. One login for the fleet, one renewal by the lease
 * holder that every replica serves, every caller served; the holder is killed (SIGKILL:
 * its lease is not given back) and another replica takes the lease over, still without a
 * login. What a fleet does when its holder dies mid-renewal, every replica restarts,
 * Redis stops, is wiped or a replica has the wrong key is tested on the test's clock,
 * with the replicas in the test's JVM: {@link FleetOnRedisTests}.
 */
@Testcontainers(disabledWithoutDocker = true)
class FleetIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(FleetIntegrationTests.class);

	private static final String KEY = "fleet-caller-key";

	/**
	 * Served until 1 s before it expires ({@code broker.renewal.expiry-margin}) and
	 * renewed about 14 s after it is issued: one renewal in the test, whatever the load
	 * (the next would come 14 s later; the holder's lease runs out 3 s after it is
	 * killed).
	 */
	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(20);

	static final GenericContainer<?> redis = new GenericContainer<>(TestImages.redis()).withExposedPorts(6379);

	private static Started simulator;

	private static SimulatedTradovate tradovate;

	private final List<BrokerProcess> replicas = new CopyOnWriteArrayList<>();

	/** Names unique across runs of the test: each replica keeps its own log file. */
	private static final AtomicInteger STARTED = new AtomicInteger();

	@BeforeAll
	static void startRedisAndSimulator() {
		redis.start();
		simulator = Brokers.simulator(Clock.systemUTC(), "simulator.token-lifetime=" + TOKEN_LIFETIME.toSeconds() + "s",
				"simulator.limits.renewals-per-hour=1000");
		tradovate = simulator.bean(SimulatedTradovate.class);
	}

	@AfterAll
	static void stopRedisAndSimulator() {
		if (simulator != null) {
			simulator.close();
		}
		redis.stop();
	}

	@AfterEach
	void stopFleet() {
		this.replicas.forEach(BrokerProcess::kill);
	}

	private BrokerProcess replica() {
		String name = "fleet-" + STARTED.incrementAndGet();
		return BrokerProcess.start(name, List.of("broker.store.type=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.getMappedPort(6379), "broker.store.keys.k1=" + RestartTests.STORE_KEY,
				"broker.store.replica-id=" + name, "broker.store.lease-time=3s", "broker.store.sync-interval=1s",
				"broker.accounts.sim.base-url=http://127.0.0.1:" + simulator.port() + "/v1",
				"broker.accounts.sim.username=sim-user", "broker.accounts.sim.password=sim-password",
				"broker.accounts.sim.app-id=sim-app", "broker.accounts.sim.cid=1",
				"broker.accounts.sim.secret=sim-secret", "broker.accounts.sim.device-id=fleet-device",
				"broker.clients.fleet.key-sha256=" + CallerKeys.hash(KEY), "broker.clients.fleet.accounts=*",
				"broker.clients.fleet.admin=true", "broker.renewal.check-interval=100ms",
				"broker.renewal.expiry-margin=1s", "broker.limits.renewals-per-hour=1000",
				"logging.level.io.tokenbroker=DEBUG"));
	}

	private static void awaitServing(BrokerProcess replica) {
		await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> token(replica) != null);
	}

	private static String token(BrokerProcess replica) {
		HttpResponse<String> response = replica.caller(KEY).get("/token");
		return (response.statusCode() == 200) ? BrokerCaller.body(response).get("accessToken").stringValue() : null;
	}

	/** The distinct answers of the replicas: tokens, or {@code null} for none. */
	private List<String> served() {
		return this.replicas.stream().map(FleetIntegrationTests::token).distinct().toList();
	}

	private String holder() {
		JsonNode tokens = BrokerCaller.body(this.replicas.get(0).caller(KEY).get("/actuator/tokens"));
		return tokens.at("/accounts/0/leaseHolder").stringValue();
	}

	@Test
	void threeReplicaProcessesShareOneSessionAndARenewalAndSurviveTheHolderKilled() {
		for (int i = 0; i < 3; i++) {
			this.replicas.add(replica());
		}
		this.replicas.forEach(FleetIntegrationTests::awaitServing);
		await().atMost(Duration.ofSeconds(10)).until(() -> served().size() == 1);
		String first = served().get(0);

		try (FleetLoad<BrokerProcess> load = new FleetLoad<>(this.replicas, 6, (replica) -> replica.caller(KEY),
				() -> tradovate.activeSessions("sim-user"))) {
			long renewals = tradovate.stats().renewalCalls();
			// the holder renews; every replica serves what it wrote
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				List<String> served = served();
				return served.size() == 1 && served.get(0) != null && !served.get(0).equals(first);
			});
			assertThat(tradovate.stats().renewalCalls() - renewals).as("renewals: by the holder only").isEqualTo(1);

			String killed = holder();
			BrokerProcess holder = this.replicas.stream()
				.filter((replica) -> replica.name().equals(killed))
				.findFirst()
				.orElseThrow();
			load.without(holder);
			this.replicas.remove(holder);
			holder.kill();
			// its lease runs out (3 s) and another replica takes it
			await().atMost(Duration.ofSeconds(30)).until(() -> !killed.equals(holder()) && holder() != null);
			FleetLoad.Summary summary = load.stop();
			SimulatorStats stats = tradovate.stats();
			log.info("Three replica processes, a renewal, holder {} killed: {}; simulator {}", killed, summary, stats);

			assertThat(summary.failed()).isZero();
			assertThat(summary.served()).isGreaterThan(1000);
			assertThat(summary.maxSessions()).isEqualTo(1);
			assertThat(served()).hasSize(1).doesNotContainNull();
			assertThat(stats.loginCalls()).isEqualTo(1);
			assertThat(stats.sessionsEvicted()).isZero();
		}
	}

}
