package io.tokenbroker.container;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.Ports;
import org.slf4j.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.BrokerProcess;
import io.tokenbroker.testing.TestImages;

import static org.awaitility.Awaitility.await;

/**
 * What the container tests share: the project's image built from its {@code Dockerfile}
 * and packaged jar, the simulator and broker containers made from it, and Docker
 * look-ups.
 */
final class Containers {

	static final String BASE_IMAGE = TestImages.javaBase();

	/** Not the demo profile's public key: outside that profile the broker refuses it. */
	static final String DEMO_KEY = "container-demo-key";

	static final Duration START_UP = Duration.ofMinutes(3);

	/**
	 * How often the image's health check runs in the tests: the image's 5 s would leave a
	 * broker that is ready after 6 s unhealthy until the check at 10 s.
	 */
	static final Duration HEALTH_CHECK_INTERVAL = Duration.ofSeconds(1);

	/**
	 * How often the tests ask Docker whether a container is healthy: Testcontainers'
	 * {@code Wait.forHealthcheck()} asks in a loop without a pause, which kept a core of
	 * the 2-core CI machine (the test JVM and dockerd) from the JVM starting in the
	 * container: brokers took 15 to 30 s to start instead of 6.
	 */
	static final Duration HEALTH_POLL = Duration.ofMillis(250);

	private Containers() {
	}

	/**
	 * The project's image, built when first used; only what the Dockerfile copies is sent
	 * to Docker. The tests share one: {@link ProjectImage}.
	 */
	static ImageFromDockerfile image() {
		return new ImageFromDockerfile().withFileFromPath("Dockerfile", Path.of("Dockerfile"))
			// the health check and the training run of the start-up archive
			.withFileFromPath("src/main/docker", Path.of("src/main/docker"))
			.withFileFromPath("target/tradovate-token-broker.jar", BrokerProcess.packagedJar())
			.withBuildArg("BASE_IMAGE", BASE_IMAGE);
	}

	/** The simulator, known on the network as {@code simulator}. */
	static GenericContainer<?> simulator(ImageFromDockerfile image, Network network, int tokenLifetimeSeconds,
			Logger log) {
		return new GenericContainer<>(image).withNetwork(network)
			.withNetworkAliases("simulator")
			.withCommand("--spring.profiles.active=simulator")
			.withEnv("SIMULATOR_TOKEN_LIFETIME", tokenLifetimeSeconds + "s")
			.withExposedPorts(8080)
			.withLogConsumer(new Slf4jLogConsumer(log).withPrefix("simulator"))
			.withCreateContainerCmdModifier(Containers::healthCheckEverySecond)
			.waitingFor(new Healthy().withStartupTimeout(START_UP));
	}

	/**
	 * A broker logging in to the simulator as account {@code sim}, which the demo key
	 * reads. The password comes from the environment; add settings with {@code withEnv}.
	 */
	static GenericContainer<?> broker(ImageFromDockerfile image, Network network, String name, Logger log) {
		return new GenericContainer<>(image).withNetwork(network)
			.withEnv("BROKER_ACCOUNTS_SIM_BASE_URL", "http://simulator:8080/v1")
			.withEnv("BROKER_ACCOUNTS_SIM_USERNAME", "sim-user")
			.withEnv("BROKER_ACCOUNTS_SIM_APP_ID", "sim-app")
			.withEnv("BROKER_ACCOUNTS_SIM_CID", "1")
			.withEnv("BROKER_ACCOUNTS_SIM_SECRET", "sim-secret")
			.withEnv("BROKER_ACCOUNTS_SIM_DEVICE_ID", "container-test")
			.withEnv("BROKER_CLIENTS_DEMO_KEY_SHA256", CallerKeys.hash(DEMO_KEY))
			.withEnv("BROKER_CLIENTS_DEMO_ACCOUNTS", "*")
			.withExposedPorts(8080)
			.withLogConsumer(new Slf4jLogConsumer(log).withPrefix(name))
			.withCreateContainerCmdModifier(Containers::healthCheckEverySecond)
			.waitingFor(new Healthy().withStartupTimeout(START_UP));
	}

	/**
	 * The image's own health check, only more often: what Docker is not given (the
	 * command, its timeout, the start period, the retries) it takes from the image, as
	 * {@code docker run --health-interval} does.
	 */
	private static void healthCheckEverySecond(CreateContainerCmd create) {
		create.withHealthcheck(new HealthCheck().withInterval(HEALTH_CHECK_INTERVAL.toNanos()));
	}

	/**
	 * Logs how long a container took to start: from {@code docker start} to the first
	 * passing health check (one runs every {@link #HEALTH_CHECK_INTERVAL} here, every 5 s
	 * in the image), and Spring's own count from JVM start. Docker keeps only the last
	 * five health checks: call it once the container has started.
	 */
	static void logStartUp(String name, GenericContainer<?> container, Logger log) {
		InspectContainerResponse inspected = inspect(container);
		Instant started = Instant.parse(inspected.getState().getStartedAt());
		List<HealthStateLog> checks = inspected.getState().getHealth().getLog();
		String healthyAfter = checks.stream()
			.filter((check) -> check.getExitCodeLong() == 0)
			.findFirst()
			.map((check) -> Duration.between(started, Instant.parse(check.getEnd())).toMillis() + " ms")
			.orElse("(no passing check left in the log)");
		Matcher jvm = Pattern.compile("Started \\S+ in (\\S+) seconds \\(process running for (\\S+)\\)")
			.matcher(container.getLogs());
		log.info("{}: healthy {} after docker start; {}", name, healthyAfter,
				jvm.find() ? "Spring started in " + jvm.group(1) + " s, JVM up for " + jvm.group(2) + " s" : "");
	}

	/**
	 * Waits until Docker reports the container healthy, asking every
	 * {@link #HEALTH_POLL}; fails at once when the container is no longer running.
	 */
	static void awaitHealthy(GenericContainer<?> container) {
		awaitHealthy(container.getContainerId(), START_UP);
	}

	private static void awaitHealthy(String containerId, Duration timeout) {
		await().atMost(timeout).pollInterval(HEALTH_POLL).until(() -> {
			InspectContainerResponse.ContainerState state = docker().inspectContainerCmd(containerId).exec().getState();
			if (!Boolean.TRUE.equals(state.getRunning())) {
				throw new IllegalStateException("the container stopped (exit code " + state.getExitCodeLong()
						+ ") before its health check passed");
			}
			return "healthy".equals(state.getHealth().getStatus());
		});
	}

	/** The container's health check passing: {@link #awaitHealthy} as a wait strategy. */
	private static final class Healthy extends AbstractWaitStrategy {

		@Override
		protected void waitUntilReady() {
			awaitHealthy(this.waitStrategyTarget.getContainerId(), this.startupTimeout);
		}

	}

	static PublishedPort caller(GenericContainer<?> container, String key) {
		return new PublishedPort(container.getHost(), hostPort(container), key);
	}

	/** The published port now: a restarted container may get a new one. */
	static int hostPort(GenericContainer<?> container) {
		Ports.Binding[] bindings = inspect(container).getNetworkSettings()
			.getPorts()
			.getBindings()
			.get(ExposedPort.tcp(8080));
		return Integer.parseInt(bindings[0].getHostPortSpec());
	}

	static InspectContainerResponse inspect(GenericContainer<?> container) {
		return docker().inspectContainerCmd(container.getContainerId()).exec();
	}

	static DockerClient docker() {
		return DockerClientFactory.instance().client();
	}

	/**
	 * Without Ryuk (as in CI) Testcontainers would leave the built image behind, and the
	 * legacy builder leaves the extraction stage (about 100 MB) for every build: once the
	 * run ends ({@link ProjectImage}).
	 */
	static void removeImage(ImageFromDockerfile image) throws Exception {
		if (image.isDone()) {
			docker().removeImageCmd(image.get()).withForce(true).exec();
		}
		docker().pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter("io.tokenbroker.stage=extract").exec();
	}

}
