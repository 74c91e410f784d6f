package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.FleetLoad;
import io.tokenbroker.testing.MutableClock;
import io.tokenbroker.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three brokers in this JVM sharing one Redis (Debian's {@code redis-server}, skipped
 * without it) and one simulator, on one clock the tests move, under concurrent callers:
 * one login for the fleet, one renewal per token, by the lease holder only, every caller
 * served, while the holder dies in the middle of a renewal, every replica restarts, Redis
 * stops, comes back and is wiped, or a replica starts with the wrong key. The fleet is
 * started once for the class and logs in once; each test starts from it serving one
 * token, and leaves three replicas serving. Leases run in real time (2 s), tokens on the
 * clock (60 s, renewed 41.25 s after they are issued, served until 5 s before they
 * expire). The fleet as processes of the packaged jar, in one smoke test:
 * {@code FleetIntegrationTests}.
 */
@Tag("application")
class FleetOnRedisTests {

	private static final Logger log = LoggerFactory.getLogger(FleetOnRedisTests.class);

	private static final String ACCOUNT = "alice";

	/** The fleet's store key, {@link RestartTests#STORE_KEY}, under its id. */
	private static final String FLEET_KEY = "k1";

	/** Another key, under another id: the tokens sealed with k1 cannot be opened. */
	private static final String WRONG_KEY = "k9";

	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);

	/** The expiry margin (5 s) and five steps of the clock, for the fleet to catch up. */
	private static final long SERVED_AT_LEAST = 10;

	private static final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private static final List<Started> replicas = new CopyOnWriteArrayList<>();

	/** Names unique across the tests. */
	private static final AtomicInteger STARTED = new AtomicInteger();

	private static RedisServer redis;

	private static Started simulator;

	private static SimulatedTradovate tradovate;

	/** The simulator's counts when the running test began. */
	private long logins;

	private long evicted;

	@BeforeAll
	static void startTheFleet() {
		redis = RedisServer.startKeepingData("fleet-test-redis-password");
		simulator = Brokers.simulator(clock, "simulator.token-lifetime=" + TOKEN_LIFETIME.toSeconds() + "s",
				"simulator.limits.renewals-per-hour=1000", "simulator.users.alice.password=sim-password",
				"simulator.users.alice.app-id=sim-app", "simulator.users.alice.cid=1",
				"simulator.users.alice.secret=sim-secret");
		tradovate = simulator.bean(SimulatedTradovate.class);
		for (int i = 0; i < 3; i++) {
			replicas.add(replica(FLEET_KEY));
		}
		replicas.forEach(FleetOnRedisTests::awaitServing);
		assertThat(tradovate.stats().loginCalls()).as("the fleet's logins").isEqualTo(1);
	}

	@AfterAll
	static void stopTheFleet() {
		replicas.forEach(Started::close);
		if (simulator != null) {
			simulator.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void theFleetServesOneToken() {
		await().atMost(Duration.ofSeconds(20)).until(() -> served().size() == 1);
		this.logins = tradovate.stats().loginCalls();
		this.evicted = tradovate.stats().sessionsEvicted();
	}

	private static Started replica(String keyId) {
		String name = "fleet-" + STARTED.incrementAndGet();
		String key = keyId.equals(FLEET_KEY) ? RestartTests.STORE_KEY : "Tm90VGhlS2V5VGhhdFNlYWxlZFRoZVRva2VuLi4uLi4=";
		List<String> settings = new ArrayList<>(List.of("broker.store.type=redis",
				"broker.store.keys." + keyId + "=" + key, "broker.store.replica-id=" + name,
				"broker.store.lease-time=2s", "broker.store.sync-interval=1s", "broker.renewal.check-interval=20ms",
				"broker.renewal.jitter=0", "broker.limits.renewals-per-hour=1000"));
		settings.addAll(redis.settings());
		return Brokers.broker(clock, simulator.port(), List.of(ACCOUNT), settings.toArray(String[]::new));
	}

	private static void awaitServing(Started replica) {
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> token(replica) != null);
	}

	/** The access token a replica serves, or {@code null}. */
	private static String token(Started replica) {
		HttpResponse<String> response = replica.caller().get("/token");
		return (response.statusCode() == 200) ? BrokerCaller.body(response).get("accessToken").stringValue() : null;
	}

	/** The distinct answers of the replicas: tokens, or {@code null} for none. */
	private static List<String> served() {
		return replicas.stream().map(FleetOnRedisTests::token).distinct().toList();
	}

	private static String replicaId(Started replica) {
		return replica.context().getEnvironment().getProperty("broker.store.replica-id");
	}

	/**
	 * The replica holding the lease, once the lease names a running one: a replica an
	 * earlier test stopped may still hold it until its lease runs out.
	 */
	private static Started holder() {
		return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			JsonNode tokens = BrokerCaller.body(replicas.get(0).caller().get("/actuator/tokens"));
			String holder = tokens.at("/accounts/0/leaseHolder").stringValue();
			return replicas.stream().filter((replica) -> replicaId(replica).equals(holder)).findFirst();
		}, Optional::isPresent).orElseThrow();
	}

	/**
	 * Moves the clock in steps of a second; after each, waits until every replica serves
	 * a token that outlives the next step, as it must for no caller to go without, and,
	 * once the step passed the renewal the fleet had scheduled, until every replica
	 * serves the renewed token. A step takes as long as the fleet needs and no longer:
	 * the renewals keep to the clock however fast it moves.
	 */
	private static void pass(Duration time) {
		for (long second = 0; second < time.toSeconds(); second++) {
			JsonNode held = replicas.get(0).caller().token("/token");
			clock.advance(Duration.ofSeconds(1));
			String renewed = renewalPassed(held) ? held.get("accessToken").stringValue() : null;
			await().atMost(Duration.ofSeconds(20))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> replicas.stream().allMatch((replica) -> {
					HttpResponse<String> response = replica.caller().get("/token");
					if (response.statusCode() != 200) {
						return false;
					}
					JsonNode token = BrokerCaller.body(response);
					return token.get("expiresIn").asLong() >= SERVED_AT_LEAST
							&& !token.get("accessToken").stringValue().equals(renewed);
				}));
		}
	}

	/** Whether the clock has passed the renewal scheduled for this token. */
	private static boolean renewalPassed(JsonNode token) {
		JsonNode renewAt = token.get("renewAt");
		return renewAt != null && renewAt.isString() && clock.instant().isAfter(Instant.parse(renewAt.stringValue()));
	}

	/**
	 * How long until the token held now is due for renewal: a millisecond more than
	 * {@code GET /token} says, which gives {@code renewAt} in milliseconds while the
	 * broker may hold a finer instant (a clock moved to the millisecond before would
	 * never renew).
	 */
	private static Duration untilRenewal() {
		JsonNode token = replicas.get(0).caller().token("/token");
		return Duration.between(clock.instant(), Instant.parse(token.get("renewAt").stringValue())).plusMillis(1);
	}

	/**
	 * A replica dies: it cannot reach Redis any more (so its lease is not given back and
	 * runs out), then stops.
	 */
	private static void kill(Started replica) throws Exception {
		replica.bean(LettuceConnectionFactory.class).destroy();
		replicas.remove(replica);
		replica.close();
	}

	private void assertNoNewSession() {
		assertThat(tradovate.stats().loginCalls() - this.logins).as("logins").isZero();
		assertThat(tradovate.stats().sessionsEvicted() - this.evicted).as("sessions evicted").isZero();
	}

	@Test
	void threeReplicasServeEveryCallerOverSeveralTokenLifetimesWithOneLogin() {
		long renewals = tradovate.stats().renewalCalls();
		try (FleetLoad<Started> load = new FleetLoad<>(replicas, 4, Started::caller,
				() -> tradovate.activeSessions(ACCOUNT))) {
			pass(TOKEN_LIFETIME.multipliedBy(3));
			FleetLoad.Summary summary = load.stop();
			log.info("Three replicas, three lifetimes of 60 s tokens: {}; simulator {}", summary, tradovate.stats());

			assertThat(summary.failed()).isZero();
			assertThat(summary.served()).isGreaterThan(1000);
			// a 60 s token is renewed 41.25 s after it is issued (13.75 s before it stops
			// being served), on the first step of the clock after: one renewal per 42 s,
			// 4.3 in the window, never one per replica
			assertThat(tradovate.stats().renewalCalls() - renewals).isBetween(4L, 5L);
			assertThat(summary.maxSessions()).isEqualTo(1);
			assertNoNewSession();
		}
	}

	@Test
	void killingTheLeaseHolderMidRenewalCostsNoLoginAndNoCaller() throws Exception {
		try (FleetLoad<Started> load = new FleetLoad<>(replicas, 4, Started::caller,
				() -> tradovate.activeSessions(ACCOUNT))) {
			Started holder = holder();
			String before = token(replicas.get(0));
			long renewals = tradovate.stats().renewalCalls();
			tradovate.enqueue(AuthOperation.RENEW, Fault.delay(Duration.ofSeconds(2)));
			clock.advance(untilRenewal());
			await().atMost(Duration.ofSeconds(20)).until(() -> tradovate.stats().renewalCalls() > renewals);
			load.without(holder);
			kill(holder);

			// the clock stands still: the others serve the token held until a new holder
			// renews it
			await().atMost(Duration.ofSeconds(20)).until(() -> tradovate.stats().renewalCalls() > renewals + 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !replicaId(holder()).equals(replicaId(holder)));
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				List<String> served = served();
				return served.size() == 1 && served.get(0) != null && !served.get(0).equals(before);
			});
			FleetLoad.Summary summary = load.stop();
			log.info("Holder {} killed mid-renewal: {}; simulator {}", replicaId(holder), summary, tradovate.stats());

			assertThat(summary.failed()).isZero();
			assertNoNewSession();
		}
		replicas.add(replica(FLEET_KEY));
		awaitServing(replicas.get(replicas.size() - 1));
	}

	@Test
	void everyReplicasStreamsHearOfEachRenewalWhicheverReplicaRenewed() {
		List<EventStream> streams = replicas.stream()
			.map((replica) -> EventStream.open(replica.port(), "/token/events", Brokers.KEY, null))
			.toList();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> streams.stream().allMatch((stream) -> stream.tokens().size() >= 1));
			// renewed by the lease holder only, announced by every replica
			pass(TOKEN_LIFETIME.multipliedBy(2));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> streams.stream().allMatch((stream) -> stream.tokens().size() >= 3));

			List<String> ids = streams.get(0).tokens().stream().map(EventStream.Event::id).limit(3).toList();
			assertThat(streams).allSatisfy(
					(stream) -> assertThat(stream.tokens().stream().map(EventStream.Event::id).limit(3).toList())
						.isEqualTo(ids));
			assertThat(ids).doesNotHaveDuplicates();
			assertNoNewSession();
		}
		finally {
			streams.forEach(EventStream::close);
		}
	}

	@Test
	void restartingEveryReplicaCostsNoLogin() {
		String before = token(replicas.get(0));
		List<Started> old = List.copyOf(replicas);
		replicas.clear();
		old.forEach(Started::close);

		for (int i = 0; i < 3; i++) {
			replicas.add(replica(FLEET_KEY));
		}
		replicas.forEach(FleetOnRedisTests::awaitServing);

		assertThat(served()).containsExactly(before);
		assertNoNewSession();
	}

	@Test
	void redisStoppedAndRestartedUnderLoadCostsNoLoginAndNoCaller() {
		try (FleetLoad<Started> load = new FleetLoad<>(replicas, 4, Started::caller,
				() -> tradovate.activeSessions(ACCOUNT))) {
			long renewals = tradovate.stats().renewalCalls();
			redis.stop();
			// the holder renews while Redis is away: a renewal opens no session
			clock.advance(untilRenewal());
			await().atMost(Duration.ofSeconds(20)).until(() -> tradovate.stats().renewalCalls() > renewals);
			redis.start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> served().size() == 1 && served().get(0) != null && holderKnown());

			// and once more with everything lost, as a Redis without persistence restarts
			assertThat(redis.command("FLUSHALL")).isEqualTo("+OK\r\n");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> redis.command("KEYS", "*").contains("account:" + ACCOUNT));
			FleetLoad.Summary summary = load.stop();
			log.info("Redis stopped, restarted and wiped under load: {}; simulator {}", summary, tradovate.stats());

			assertThat(summary.failed()).isZero();
			assertNoNewSession();
		}
	}

	private static boolean holderKnown() {
		try {
			holder();
			return true;
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	@Test
	void aReplicaWithTheWrongKeyServesNothingAndNeverLogsIn() {
		try (Started wrong = replica(WRONG_KEY)) {
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> wrong.caller().get("/token").statusCode() == 503);

			HttpResponse<String> refused = wrong.caller().get("/token");
			assertThat(BrokerCaller.body(refused).get("reason").stringValue()).isEqualTo("store_unreadable");
			assertThat(wrong.caller().get("/actuator/health/tradovate/" + ACCOUNT).body()).contains("storeProblem")
				.contains("'k1', which is not configured");
			assertThat(replicaId(holder())).isNotEqualTo(replicaId(wrong));
			assertNoNewSession();
		}
	}

}
