package io.tokenbroker.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.tokenbroker.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's image keeping its state: on the image's volume across a container
 * restart, and in Redis for two replicas. The simulator counts the logins.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith({ ProjectImage.class, SharedSimulator.class })
@ResourceLock(SharedSimulator.LOCK)
class StoreContainerIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(StoreContainerIntegrationTests.class);

	private static final String STORE_KEY = "q2lqS1pDN3JjdUxNMkZqT3ZTWWNhZ3lSSzdyQk5vcXk=";

	static final GenericContainer<?> redis = new GenericContainer<>(TestImages.redis())
		.withNetwork(SharedSimulator.network())
		.withNetworkAliases("redis")
		.withExposedPorts(6379);

	@AfterAll
	static void stop() {
		redis.stop();
	}

	private static long logins() {
		return SharedSimulator.caller().get("/simulator/stats").ok().json().path("loginCalls").asLong();
	}

	private static String token(GenericContainer<?> broker) {
		return Containers.caller(broker, Containers.DEMO_KEY).get("/token").ok().json().path("accessToken").asString();
	}

	@Test
	void aRestartedBrokerContainerServesTheTokenFromItsVolumeWithoutLoggingIn() {
		long before = logins();
		try (GenericContainer<?> broker = Containers
			.broker(ProjectImage.get(), SharedSimulator.network(), "volume-broker", log)
			.withEnv("BROKER_ACCOUNTS_SIM_PASSWORD", "sim-password")
			.withEnv("BROKER_STORE_KEYS_K1", STORE_KEY)) {
			broker.start();
			String first = token(broker);

			Containers.docker().restartContainerCmd(broker.getContainerId()).withTimeout(20).exec();
			Containers.awaitHealthy(broker);

			assertThat(token(broker)).isEqualTo(first);
			assertThat(logins()).isEqualTo(before + 1);
			assertThat(broker.getLogs()).contains("State store: file /var/lib/tradovate-token-broker")
				.contains("1 with a token to serve at once");
		}
	}

	@Test
	void twoReplicasOnRedisShareOneSession() {
		long before = logins();
		try (GenericContainer<?> first = replica("replica-1"); GenericContainer<?> second = replica("replica-2")) {
			first.start();
			second.start();

			assertThat(token(second)).isEqualTo(token(first));
			assertThat(logins()).isEqualTo(before + 1);
		}
	}

	private static GenericContainer<?> replica(String name) {
		return Containers.broker(ProjectImage.get(), SharedSimulator.network(), name, log)
			.dependsOn(redis)
			.withEnv("BROKER_ACCOUNTS_SIM_PASSWORD", "sim-password")
			.withEnv("BROKER_STORE_TYPE", "redis")
			.withEnv("SPRING_DATA_REDIS_HOST", "redis")
			.withEnv("BROKER_STORE_KEYS_K1", STORE_KEY)
			.withEnv("BROKER_STORE_REPLICA_ID", name);
	}

}
