package io.tokenbroker.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectImageResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.caller.CallerKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image the {@code Dockerfile} builds from the packaged jar: the simulator and the
 * broker each run from it in their own container, and the broker is called through its
 * published port, as a deployment would call it. The base image comes from
 * {@code -Dtokenbroker.test.base-image} or {@code TOKENBROKER_TEST_BASE_IMAGE} (CI builds
 * offline from {@code tokenbroker/jre:25}), else the public
 * {@code eclipse-temurin:25-jre}.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith({ ProjectImage.class, SharedSimulator.class })
@ResourceLock(SharedSimulator.LOCK)
class BrokerContainerIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(BrokerContainerIntegrationTests.class);

	private static final String DEMO_KEY = Containers.DEMO_KEY;

	private static final String ADMIN_KEY = UUID.randomUUID().toString();

	/**
	 * Above the time left on a token a few seconds old, below the time left on a fresh
	 * one: asking for it makes the broker renew at once.
	 */
	private static final int FORCES_RENEWAL = SharedSimulator.TOKEN_LIFETIME_SECONDS - 5;

	static final GenericContainer<?> broker = Containers
		.broker(ProjectImage.get(), SharedSimulator.network(), "broker", log)
		.withEnv("BROKER_CLIENTS_OPS_KEY_SHA256", CallerKeys.hash(ADMIN_KEY))
		.withEnv("BROKER_CLIENTS_OPS_ADMIN", "true")
		// the password as a Docker secret file, read through Spring's configtree
		.withEnv("SPRING_CONFIG_IMPORT", "optional:configtree:/run/secrets/")
		.withCopyToContainer(Transferable.of("sim-password\n"), "/run/secrets/broker.accounts.sim.password");

	/** Starts the broker (the simulator runs already) and logs its start-up time. */
	@BeforeAll
	static void startBroker() {
		broker.start();
		Containers.logStartUp("broker", broker, log);
	}

	/** Without Ryuk (as in CI) Testcontainers would leave it behind. */
	@AfterAll
	static void removeBroker() {
		broker.stop();
	}

	@Test
	void imageRunsAsNonRootWithAHealthCheckAndOciLabels() throws Exception {
		InspectImageResponse inspected = Containers.docker().inspectImageCmd(broker.getDockerImageName()).exec();
		assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
		assertThat(inspected.getConfig().getHealthcheck().getTest()).contains("/usr/local/bin/readiness-probe");
		assertThat(inspected.getConfig().getLabels())
			.containsEntry("org.opencontainers.image.base.name", Containers.BASE_IMAGE)
			.containsKeys("org.opencontainers.image.title", "org.opencontainers.image.version",
					"org.opencontainers.image.revision");
		ExecResult id = broker.execInContainer("id", "-u");
		assertThat(id.getStdout().strip()).isEqualTo("10001");
	}

	@Test
	void servesATokenThroughThePublishedPort() {
		PublishedPort.Answer answer = caller(DEMO_KEY).get("/token");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.header("Cache-Control")).contains("no-store");
		JsonNode token = answer.json();
		assertThat(token.path("account").asString()).isEqualTo("sim");
		assertThat(token.path("accessToken").asString()).isNotBlank();
		assertThat(token.path("expiresIn").asLong()).isPositive();
	}

	@Test
	void exposesPrometheusMetricsToAdminsOnly() throws Exception {
		assertThat(caller(DEMO_KEY).get("/actuator/prometheus").status()).isEqualTo(403);
		PublishedPort.Answer answer = caller(ADMIN_KEY).get("/actuator/prometheus");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).containsPattern("(?m)^jvm_memory_used_bytes\\{")
			.containsPattern("(?m)^broker_\\w+\\{[^}]*account=\"sim\"");
		Promtool.checkMetrics(answer.body());
	}

	@Test
	void servesItsTokenThroughATradovateOutageAndLogsInAgainAfterwards() {
		PublishedPort client = caller(DEMO_KEY);
		PublishedPort admin = caller(ADMIN_KEY);
		// a token with less time left than FORCES_RENEWAL (expiresIn is rounded down)
		JsonNode before = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> client.get("/token").ok().json(),
					(token) -> token.path("expiresIn").asLong() < FORCES_RENEWAL - 1);
		String tokenBefore = before.path("accessToken").asString();

		Containers.docker().stopContainerCmd(simulator().getContainerId()).withTimeout(10).exec();
		try {
			assertThat(client.get("/token").ok().json().path("accessToken").asString())
				.as("the valid token is still served")
				.isEqualTo(tokenBefore);
			PublishedPort.Answer renewal = client.get("/token?minValidity=" + FORCES_RENEWAL);
			assertThat(renewal.status()).as(renewal.body()).isEqualTo(503);
			assertThat(renewal.json().path("reason").asString()).isEqualTo("upstream_failed");

			PublishedPort.Answer health = admin.get("/actuator/health/tradovate/sim");
			assertThat(health.status()).as(health.body()).isEqualTo(200);
			assertThat(health.json().path("details").path("state").asString()).isEqualTo("BACKING_OFF");
			assertThat(health.json().path("details").path("lastError").asString()).isNotBlank();
			assertThat(client.get("/actuator/health/readiness").status())
				.as("ready while it serves a token: no reason to take it out of a load balancer")
				.isEqualTo(200);
		}
		finally {
			restartSimulator();
		}

		// no sessions on the restarted simulator: the renewal gets 401, then one login
		PublishedPort.Answer actNow = admin.post("/actuator/tokens/sim");
		assertThat(actNow.status()).as(actNow.body()).isEqualTo(200);
		assertThat(actNow.json().path("outcome").asString()).isEqualTo("succeeded");
		String tokenAfter = client.get("/token").ok().json().path("accessToken").asString();
		assertThat(tokenAfter).isNotBlank().isNotEqualTo(tokenBefore);
		JsonNode stats = SharedSimulator.caller().get("/simulator/stats").ok().json();
		assertThat(stats.path("successfulLogins").asInt()).as(stats.toString()).isEqualTo(1);
		assertThat(admin.get("/actuator/health/tradovate/sim").ok().json().path("details").path("state").asString())
			.isEqualTo("VALID");
	}

	private static GenericContainer<?> simulator() {
		return SharedSimulator.container();
	}

	private static void restartSimulator() {
		Containers.docker().startContainerCmd(simulator().getContainerId()).exec();
		Containers.awaitHealthy(simulator());
	}

	private static PublishedPort caller(String key) {
		return new PublishedPort(broker.getHost(), broker.getMappedPort(8080), key);
	}

	/**
	 * {@code promtool check metrics}, when Prometheus' tool is installed: the exposition
	 * must parse, and the broker's own metrics must pass its lint. Framework metrics
	 * (Spring Security's camelCase filter names, {@code jvm_compilation_time_ms}...) are
	 * not ours to rename, so their lint notes are only counted.
	 */
	static final class Promtool {

		/** promtool's exit code when the metrics parse but break naming conventions. */
		private static final int LINT_PROBLEMS = 3;

		static void checkMetrics(String exposition) throws IOException, InterruptedException {
			Path promtool = onPath("promtool");
			if (promtool == null) {
				log.info("promtool is not on PATH: the metrics are not linted");
				return;
			}
			Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
				.start();
			try (var stdin = process.getOutputStream()) {
				stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
			assertThat(process.exitValue()).as("promtool check metrics:%n%s", output).isIn(0, LINT_PROBLEMS);
			assertThat(output.lines().filter((line) -> line.startsWith("broker_")))
				.as("promtool's notes on the broker's own metrics")
				.isEmpty();
			log.info("promtool check metrics: parsed; {} lint notes, none on broker_ metrics", output.lines().count());
		}

		private static Path onPath(String command) {
			String path = System.getenv("PATH");
			if (path == null) {
				return null;
			}
			for (String directory : path.split(java.io.File.pathSeparator)) {
				Path candidate = Path.of(directory, command);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
			return null;
		}

	}

}
