package io.tokenbroker.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.HealthStateLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's health check finds the readiness probe where the broker's settings put it:
 * behind TLS on the main port, or on management's own address and port. Each broker must
 * become healthy to start at all.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith({ ProjectImage.class, SharedSimulator.class })
@ResourceLock(SharedSimulator.LOCK)
class HealthCheckIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(HealthCheckIntegrationTests.class);

	private static final String STORE_PASSWORD = "health-check-test";

	@Test
	void theHealthCheckSpeaksTlsWhenTheMainPortServesIt() throws Exception {
		Path keyStore = Files.createTempDirectory("broker-tls").resolve("broker.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass",
				STORE_PASSWORD)
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		try (GenericContainer<?> broker = broker("tls")
			.withCopyFileToContainer(MountableFile.forHostPath(keyStore, 0644), "/run/secrets/broker.p12")
			.withEnv("SERVER_SSL_KEY_STORE", "file:/run/secrets/broker.p12")
			.withEnv("SERVER_SSL_KEY_STORE_TYPE", "PKCS12")
			.withEnv("SERVER_SSL_KEY_STORE_PASSWORD", STORE_PASSWORD)) {
			broker.start();

			assertThat(lastCheck(broker))
				.contains("readiness: HTTP 200 (https://127.0.0.1:8080/actuator/health/readiness)");
		}
	}

	@Test
	void theHealthCheckFollowsManagementToItsOwnAddressAndPort() {
		try (GenericContainer<?> broker = broker("management").withEnv("MANAGEMENT_SERVER_PORT", "8081")
			.withEnv("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1")) {
			broker.start();

			assertThat(lastCheck(broker))
				.contains("readiness: HTTP 200 (http://127.0.0.1:8081/actuator/health/readiness)");
		}
	}

	private static GenericContainer<?> broker(String name) {
		return Containers.broker(ProjectImage.get(), SharedSimulator.network(), name, log)
			.withEnv("BROKER_ACCOUNTS_SIM_PASSWORD", "sim-password");
	}

	private static String lastCheck(GenericContainer<?> broker) {
		List<HealthStateLog> checks = Containers.inspect(broker).getState().getHealth().getLog();
		return checks.get(checks.size() - 1).getOutput();
	}

}
