package io.tokenbroker.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.store.CopyStoreToRedis;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.MutableClock;
import io.tokenbroker.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The move from one broker on its file store to a fleet on Redis, as docs/deploy.md
 * describes it: stop the broker, {@code copy-store-to-redis}, start the fleet. The fleet
 * serves the token the single broker held, renews it when due, and never logs in: the
 * Tradovate session is kept. Against Redis as the fleet recipe sets it up
 * ({@code docker-compose.redis.yml}: the default user off, the brokers' own user limited
 * to their keys and channels), so the recipe's rights are enough for everything a fleet
 * does.
 */
@Tag("application")
class MoveToRedisTests {

	private static final String REDIS_PASSWORD = "move-test-redis-password";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	@TempDir
	Path state;

	private RedisServer redis;

	private Started simulator;

	private SimulatedTradovate tradovate;

	@BeforeEach
	void start() {
		this.redis = RedisServer.startAsTheRecipe(REDIS_PASSWORD);
		this.simulator = Brokers.simulator(this.clock, "simulator.token-lifetime=60m",
				"simulator.users.alice.password=sim-password", "simulator.users.alice.app-id=sim-app",
				"simulator.users.alice.cid=1", "simulator.users.alice.secret=sim-secret");
		this.tradovate = this.simulator.bean(SimulatedTradovate.class);
	}

	@AfterEach
	void stop() {
		if (this.simulator != null) {
			this.simulator.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	private Started broker(String... properties) {
		List<String> all = new ArrayList<>(
				List.of("broker.store.keys.k1=" + RestartTests.STORE_KEY, "broker.renewal.check-interval=20ms"));
		all.addAll(List.of(properties));
		return Brokers.broker(this.clock, this.simulator.port(), List.of("alice"), all.toArray(String[]::new));
	}

	private Started replica(String name) {
		List<String> settings = new ArrayList<>(
				List.of("broker.store.type=redis", "broker.store.replica-id=" + name, "broker.store.lease-time=2s"));
		settings.addAll(this.redis.settings());
		return broker(settings.toArray(String[]::new));
	}

	@Test
	void aFleetStartedFromTheCopiedStoreServesTheSameTokenAndRenewsItWithoutALogin() {
		String token;
		try (Started single = broker("broker.store.type=file", "broker.store.path=" + this.state)) {
			await().until(() -> single.caller().get("/token").statusCode() == 200);
			token = single.caller().token("/token").get("accessToken").stringValue();
		}

		List<String> args = new ArrayList<>(List.of(CopyStoreToRedis.COMMAND, "--broker.store.path=" + this.state,
				"--broker.store.keys.k1=" + RestartTests.STORE_KEY));
		this.redis.settings().forEach((setting) -> args.add("--" + setting));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = CopyStoreToRedis.run(args.toArray(String[]::new),
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		assertThat(status).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains(" - account alice: copied");

		try (Started a = replica("a"); Started b = replica("b")) {
			assertThat(a.caller().token("/token").get("accessToken").stringValue()).isEqualTo(token);
			assertThat(b.caller().token("/token").get("accessToken").stringValue()).isEqualTo(token);

			// past the renewal time: the lease holder renews the copied session
			this.clock.advance(Duration.ofMinutes(55));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !token.equals(a.caller().token("/token").get("accessToken").stringValue()));
		}
		SimulatorStats stats = this.tradovate.stats();
		assertThat(stats.loginCalls()).isEqualTo(1);
		assertThat(stats.successfulRenewals()).isGreaterThanOrEqualTo(1);
		assertThat(RedisServer.recipeRule()).contains("~tradovate-token-broker:*", "-@dangerous");
		assertThat(stats.activeSessions()).containsEntry("alice", 1);
	}

}
