package io.tokenbroker.lifecycle;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.BrokerProcess;
import io.tokenbroker.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar on Spring's ahead-of-time code, as the image runs it: one build serves
 * every configuration, since what the settings switch is decided at each start. The
 * standalone simulator (profile {@code simulator}) is the upstream of a broker with each
 * store type; the demo (profile {@code sim}) serves its own simulator's token. The
 * processes start together, so the class takes about one start.
 */
class AheadOfTimeIntegrationTests {

	private static final String KEY = "aot-caller-key";

	// five starts at once: on a loaded 2-core machine one takes minutes
	private static final Duration START_UP = Duration.ofMinutes(5);

	private static final List<BrokerProcess> processes = new ArrayList<>();

	private static RedisServer redis;

	private static BrokerProcess simulator;

	private static BrokerProcess demo;

	private static BrokerProcess memory;

	private static BrokerProcess file;

	private static BrokerProcess redisStore;

	@BeforeAll
	static void startEveryConfiguration() throws IOException {
		simulator = started(BrokerProcess.startAheadOfTime("aot-simulator",
				List.of("spring.profiles.active=simulator", "server.address=127.0.0.1")));
		demo = started(BrokerProcess.startAheadOfTime("aot-sim", List.of("spring.profiles.active=sim")));
		memory = started(broker("aot-memory", "broker.store.type=memory"));
		Path directory = Files.createTempDirectory("aot-file-store");
		file = started(broker("aot-file", "broker.store.type=file", "broker.store.path=" + directory));
		try {
			redis = RedisServer.start("aot-redis-password");
		}
		catch (TestAbortedException ex) {
			return; // no redis-server here: the Redis store's test is skipped, the others
					// run
		}
		List<String> redisSettings = new ArrayList<>(redis.settings());
		redisSettings.add("broker.store.type=redis");
		redisSettings.add("broker.store.keys.k1=" + RestartTests.STORE_KEY);
		redisStore = started(broker("aot-redis", redisSettings.toArray(String[]::new)));
	}

	@AfterAll
	static void stopEverything() {
		processes.forEach(BrokerProcess::close);
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void theDemoServesItsOwnSimulatorsToken() {
		assertThat(token(demo, "sim-demo-key")).isNotBlank();
		assertThat(demo.log()).contains("State store: memory");
		assertAheadOfTime(demo);
	}

	@Test
	void theStandaloneSimulatorHasNoBroker() {
		await().atMost(START_UP).until(() -> simulator.log().contains("Started TokenBrokerApplication"));
		assertThat(simulator.caller(KEY).get("/token").statusCode()).isEqualTo(404);
		assertThat(simulator.log()).doesNotContain("State store:").doesNotContain("generated security password");
		assertAheadOfTime(simulator);
	}

	@Test
	void theMemoryStoreServesAToken() {
		assertThat(token(memory, KEY)).isNotBlank();
		assertThat(memory.log()).contains("State store: memory");
		assertAheadOfTime(memory);
	}

	@Test
	void theFileStoreServesAToken() {
		assertThat(token(file, KEY)).isNotBlank();
		assertThat(file.log()).contains("State store: file ");
		assertAheadOfTime(file);
	}

	@Test
	void theRedisStoreServesAToken() {
		Assumptions.assumeTrue(redisStore != null, "redis-server is not installed: skipped, CI installs it");
		assertThat(token(redisStore, KEY)).isNotBlank();
		assertThat(redisStore.log()).contains("State store: redis 127.0.0.1:" + redis.port());
		assertAheadOfTime(redisStore);
	}

	private static BrokerProcess broker(String name, String... store) {
		List<String> settings = new ArrayList<>(
				List.of("broker.accounts.sim.base-url=http://127.0.0.1:" + simulator.port() + "/v1",
						"broker.accounts.sim.username=sim-user", "broker.accounts.sim.password=sim-password",
						"broker.accounts.sim.app-id=sim-app", "broker.accounts.sim.cid=1",
						"broker.accounts.sim.secret=sim-secret", "broker.accounts.sim.device-id=" + name,
						"broker.clients.aot.key-sha256=" + CallerKeys.hash(KEY), "broker.clients.aot.accounts=*"));
		settings.addAll(List.of(store));
		return BrokerProcess.startAheadOfTime(name, settings);
	}

	private static BrokerProcess started(BrokerProcess process) {
		processes.add(process);
		return process;
	}

	/** The token, once the broker has started and logged in. */
	private static String token(BrokerProcess broker, String key) {
		String[] token = new String[1];
		await().atMost(START_UP).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
			assertThat(broker.alive()).as(broker.name() + " is running").isTrue();
			HttpResponse<String> response = broker.caller(key).get("/token");
			if (response.statusCode() != 200) {
				return false;
			}
			token[0] = BrokerCaller.body(response).get("accessToken").stringValue();
			return true;
		});
		return token[0];
	}

	private static void assertAheadOfTime(BrokerProcess process) {
		assertThat(process.log()).as(process.name())
			.contains("Starting AOT-processed TokenBrokerApplication")
			.doesNotContain("Starting without ahead-of-time code")
			.doesNotContain("ERROR");
	}

}
