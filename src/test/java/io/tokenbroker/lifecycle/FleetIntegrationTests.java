package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import org.springframework.test.util.TestSocketUtils;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.BrokerProcess;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three broker processes (the packaged jar) sharing one Redis and one simulator, under
 * concurrent callers, in real time with 20-second tokens: one login for the fleet, one
 * renewal per token lifetime, every caller served, while the lease holder is killed in
 * the middle of a renewal, every replica restarts, Redis stops and comes back, or a
 * replica starts with the wrong key.
 */
@Testcontainers(disabledWithoutDocker = true)
class FleetIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(FleetIntegrationTests.class);

	private static final String KEY = "fleet-caller-key";

	private static final int REDIS_PORT = TestSocketUtils.findAvailableTcpPort();

	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(20);

	/** Fixed host port: a restarted Redis is found where it was. */
	static final GenericContainer<?> redis = new GenericContainer<>(TestImages.redis()).withExposedPorts(6379)
		.withCreateContainerCmdModifier((command) -> command.getHostConfig()
			.withPortBindings(
					new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", REDIS_PORT), ExposedPort.tcp(6379))));

	private static Started simulator;

	private static SimulatedTradovate tradovate;

	private final List<BrokerProcess> replicas = new CopyOnWriteArrayList<>();

	/** Names unique across the tests: each replica keeps its own log file. */
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
		simulator.close();
		redis.stop();
	}

	@BeforeEach
	void startFleet() throws Exception {
		redis.execInContainer("redis-cli", "flushall");
		tradovate.reset();
		for (int i = 0; i < 3; i++) {
			this.replicas.add(replica("k1"));
		}
		this.replicas.forEach(this::awaitServing);
	}

	@AfterEach
	void stopFleet() {
		this.replicas.forEach(BrokerProcess::kill);
	}

	private BrokerProcess replica(String key) {
		String name = "fleet-" + STARTED.incrementAndGet();
		String keyValue = key.equals("k1") ? RestartTests.STORE_KEY : "Tm90VGhlS2V5VGhhdFNlYWxlZFRoZVRva2VuLi4uLi4=";
		return BrokerProcess.start(name, List.of("broker.store.type=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + REDIS_PORT, "broker.store.keys." + key + "=" + keyValue,
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

	private void awaitServing(BrokerProcess replica) {
		await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> token(replica) != null);
	}

	private static String token(BrokerProcess replica) {
		HttpResponse<String> response = replica.caller(KEY).get("/token");
		return (response.statusCode() == 200) ? BrokerCaller.body(response).get("accessToken").stringValue() : null;
	}

	private BrokerProcess holder() {
		JsonNode tokens = BrokerCaller.body(this.replicas.get(0).caller(KEY).get("/actuator/tokens"));
		String holder = tokens.at("/accounts/0/leaseHolder").stringValue();
		return this.replicas.stream().filter((replica) -> replica.name().equals(holder)).findFirst().orElseThrow();
	}

	@Test
	void threeReplicasServeEveryCallerOverSeveralTokenLifetimesWithOneLogin() {
		try (Load load = new Load(this.replicas)) {
			await().pollDelay(Duration.ofSeconds(65)).atMost(Duration.ofSeconds(70)).until(() -> true);
			Load.Summary summary = load.stop();
			SimulatorStats stats = tradovate.stats();
			log.info("Three replicas, 65 s of 20 s tokens: {}; simulator {}", summary, stats);

			assertThat(summary.failed()).isZero();
			assertThat(summary.served()).isGreaterThan(1000);
			assertThat(stats.loginCalls()).isEqualTo(1);
			// a renewal 5 s before each expiry: one per 15 s, never one per replica
			assertThat(stats.renewalCalls()).isBetween(3L, 5L);
			assertThat(summary.maxSessions()).isEqualTo(1);
			assertThat(stats.sessionsEvicted()).isZero();
		}
	}

	@Test
	void killingTheLeaseHolderMidRenewalCostsNoLoginAndNoCaller() {
		try (Load load = new Load(this.replicas)) {
			BrokerProcess holder = holder();
			tradovate.enqueue(AuthOperation.RENEW, Fault.delay(Duration.ofSeconds(4)));
			long renewals = tradovate.stats().renewalCalls();
			await().atMost(Duration.ofSeconds(30)).until(() -> tradovate.stats().renewalCalls() > renewals);
			load.without(holder);
			holder.kill();
			this.replicas.remove(holder);
			String beforeTheKill = token(this.replicas.get(0));

			await().atMost(Duration.ofSeconds(20)).until(() -> tradovate.stats().renewalCalls() > renewals + 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !holder.name().equals(holder().name()));
			// the new holder's renewal is counted when it reaches the simulator: its
			// answer,
			// and the other replica's news of it, come a moment later
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				List<String> served = this.replicas.stream().map(FleetIntegrationTests::token).distinct().toList();
				return served.size() == 1 && served.get(0) != null && !served.get(0).equals(beforeTheKill);
			});
			Load.Summary summary = load.stop();
			log.info("Holder {} killed mid-renewal: {}; simulator {}", holder.name(), summary, tradovate.stats());

			assertThat(summary.failed()).isZero();
			assertThat(tradovate.stats().loginCalls()).isEqualTo(1);
			assertThat(tradovate.stats().sessionsEvicted()).isZero();
		}
	}

	@Test
	void everyReplicasStreamsHearOfEachRenewalWhicheverReplicaRenewed() {
		List<EventStream> streams = this.replicas.stream()
			.map((replica) -> EventStream.open(replica.port(), "/token/events", KEY, null))
			.toList();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> streams.stream().allMatch((stream) -> stream.tokens().size() >= 1));
			// tokens of 20 s are renewed every 15 s or so, by the lease holder only
			await().atMost(Duration.ofSeconds(45))
				.until(() -> streams.stream().allMatch((stream) -> stream.tokens().size() >= 3));

			List<String> ids = streams.get(0).tokens().stream().map(EventStream.Event::id).limit(3).toList();
			assertThat(streams).allSatisfy(
					(stream) -> assertThat(stream.tokens().stream().map(EventStream.Event::id).limit(3).toList())
						.isEqualTo(ids));
			assertThat(ids).doesNotHaveDuplicates();
			assertThat(tradovate.stats().loginCalls()).isEqualTo(1);
		}
		finally {
			streams.forEach(EventStream::close);
		}
	}

	@Test
	void restartingEveryReplicaCostsNoLogin() {
		// a token that outlives the restart, however long three JVMs take to start here
		tradovate.setTokenLifetime(Duration.ofSeconds(120));
		assertThat(holder().caller(KEY).send("POST", "/actuator/tokens/sim").statusCode()).isEqualTo(200);
		await().until(() -> this.replicas.stream().map(FleetIntegrationTests::token).distinct().count() == 1);
		this.replicas.forEach(BrokerProcess::close);
		this.replicas.clear();

		for (int i = 0; i < 3; i++) {
			this.replicas.add(replica("k1"));
		}
		this.replicas.forEach(this::awaitServing);

		assertThat(this.replicas.stream().map(FleetIntegrationTests::token).distinct()).hasSize(1);
		assertThat(tradovate.stats().loginCalls()).isEqualTo(1);
		assertThat(tradovate.stats().sessionsEvicted()).isZero();
	}

	@Test
	void redisStoppedAndRestartedUnderLoadCostsNoLoginAndNoCaller() throws Exception {
		// 40 s tokens: renewed 30 s after they are issued, served by the others until 39
		// s
		tradovate.setTokenLifetime(Duration.ofSeconds(40));
		BrokerProcess holder = holder();
		assertThat(holder.caller(KEY).send("POST", "/actuator/tokens/sim").statusCode()).isEqualTo(200);
		await().until(() -> this.replicas.stream().map(FleetIntegrationTests::token).distinct().count() == 1);
		try (Load load = new Load(this.replicas)) {
			long renewals = tradovate.stats().renewalCalls();
			redis.getDockerClient().stopContainerCmd(redis.getContainerId()).withTimeout(5).exec();
			// the holder renews while Redis is away: a renewal opens no session
			await().atMost(Duration.ofSeconds(40)).until(() -> tradovate.stats().renewalCalls() > renewals);
			redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> this.replicas.stream().map(FleetIntegrationTests::token).distinct().count() == 1);

			redis.execInContainer("redis-cli", "flushall");
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> redis.execInContainer("redis-cli", "--scan").getStdout().contains("account:sim"));
			Load.Summary summary = load.stop();
			log.info("Redis stopped, restarted and wiped under load: {}; simulator {}", summary, tradovate.stats());

			assertThat(summary.failed()).isZero();
			assertThat(tradovate.stats().loginCalls()).isEqualTo(1);
			assertThat(tradovate.stats().sessionsEvicted()).isZero();
		}
	}

	@Test
	void aReplicaWithTheWrongKeyServesNothingAndNeverLogsIn() {
		BrokerProcess wrong = replica("k9");
		this.replicas.add(wrong);
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> wrong.caller(KEY).get("/token").statusCode() == 503);

		HttpResponse<String> refused = wrong.caller(KEY).get("/token");
		assertThat(BrokerCaller.body(refused).get("reason").stringValue()).isEqualTo("store_unreadable");
		assertThat(wrong.caller(KEY).get("/actuator/health/tradovate/sim").body()).contains("storeProblem")
			.contains("'k1', which is not configured");
		assertThat(tradovate.stats().loginCalls()).isEqualTo(1);
		assertThat(holder().name()).isNotEqualTo(wrong.name());
	}

	/** Concurrent callers on the replicas that are up, counting what they get. */
	private static final class Load implements AutoCloseable {

		private final List<BrokerProcess> targets;

		private final ExecutorService callers = Executors.newFixedThreadPool(6);

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong served = new AtomicLong();

		private final Map<Integer, AtomicLong> failed = new ConcurrentHashMap<>();

		private final AtomicInteger maxSessions = new AtomicInteger();

		// one client (and its keep-alive connections) per replica, as a real caller has
		private final Map<BrokerProcess, BrokerCaller> clients = new ConcurrentHashMap<>();

		Load(List<BrokerProcess> replicas) {
			this.targets = new CopyOnWriteArrayList<>(replicas);
			for (int i = 0; i < 6; i++) {
				this.callers.submit(this::call);
			}
		}

		void without(BrokerProcess replica) {
			this.targets.remove(replica);
		}

		private void call() {
			while (this.running.get()) {
				List<BrokerProcess> up = new ArrayList<>(this.targets);
				BrokerProcess target = up.get(ThreadLocalRandom.current().nextInt(up.size()));
				int status;
				try {
					status = this.clients.computeIfAbsent(target, (replica) -> replica.caller(KEY))
						.get("/token")
						.statusCode();
				}
				catch (RuntimeException ex) {
					status = this.targets.contains(target) ? -1 : 0;
					if (status == -1) {
						log.warn("GET /token on {} failed: {}", target.name(), ex.toString());
					}
				}
				if (status == 200) {
					this.served.incrementAndGet();
				}
				else if (status != 0) {
					this.failed.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
				}
				this.maxSessions.accumulateAndGet(tradovate.activeSessions("sim-user"), Math::max);
			}
		}

		Summary stop() {
			this.running.set(false);
			this.callers.shutdown();
			try {
				this.callers.awaitTermination(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			long failures = this.failed.values().stream().mapToLong(AtomicLong::get).sum();
			return new Summary(this.served.get(), failures, Map.copyOf(this.failed), this.maxSessions.get());
		}

		@Override
		public void close() {
			stop();
		}

		record Summary(long served, long failed, Map<Integer, AtomicLong> failedByStatus, int maxSessions) {
		}

	}

}
