package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.tokenbroker.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What only the Redis store does, against Redis in a container, two replicas at a time: a
 * lease that runs out by itself, what happens while Redis does not answer, the keys'
 * names. What every store does is in {@link StateStoreContract}
 * ({@link RedisStateStoreContractTests}).
 */
@Tag("application")
@Testcontainers(disabledWithoutDocker = true)
class RedisStateStoreTests {

	private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	@Container
	static final GenericContainer<?> redis = new GenericContainer<>(TestImages.redis()).withExposedPorts(6379);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private Replica a;

	private Replica b;

	@BeforeEach
	void connect() {
		this.a = new Replica("a", Duration.ofSeconds(2));
		this.b = new Replica("b", Duration.ofSeconds(2));
		this.a.template.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void disconnect() {
		this.a.close();
		this.b.close();
	}

	@Test
	void aLeaseIsHeldByOneReplicaAndChangesHandsWithAHigherFenceOnlyOnceItRunsOut() {
		Lease first = this.a.store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		Lease refused = this.b.store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		assertThat(first.holder()).isEqualTo("a");
		assertThat(refused.holder()).isEqualTo("a");
		assertThat(refused.fence()).isEqualTo(first.fence());

		await().atMost(Duration.ofSeconds(5))
			.until(() -> "b"
				.equals(this.b.store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").holder()));
		Lease taken = this.b.store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		assertThat(taken.fence()).isGreaterThan(first.fence());
		assertThat(this.a.store.write("main", first.fence(), 0, new StoredEntry(1, "{late}")))
			.isEqualTo(WriteOutcome.FENCED);
		assertThat(this.a.store.keepLeases(List.of(new LeaseClaim("main", true, first.fence()))).get("main").holder())
			.isEqualTo("b");
	}

	@Test
	void whileRedisDoesNotAnswerEveryOperationFailsFastAndTheLedgerCountsLocallyUntilItAnswers() {
		HourlyLedger ledger = this.a.store.ledger("failed-logins", 2);
		ledger.tryAcquire(NOW, 0);
		pause(true);
		try {
			assertThatExceptionOfType(StoreUnavailableException.class).isThrownBy(() -> this.a.store.read("main"))
				.withMessageContaining("failed on read");
			assertThat(ledger.tryAcquire(NOW.plusSeconds(1), 0)).isNotNull();
			assertThat(ledger.tryAcquire(NOW.plusSeconds(2), 0)).isNull();
		}
		finally {
			pause(false);
		}
		// two calls, counted once each, although Redis may run a timed-out command late
		assertThat(ledger.used(NOW.plusSeconds(3))).isEqualTo(2);
		assertThat(this.b.store.ledger("failed-logins", 2).used(NOW.plusSeconds(3))).isEqualTo(2);
		assertThat(this.meters.get("broker.store.operations").tag("outcome", "unavailable").timers()).isNotEmpty();
	}

	@Test
	void everyKeyIsUnderThePrefixAndInOneHashSlot() {
		long fence = this.a.store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").fence();
		this.a.store.write("main", fence, 0, new StoredEntry(1, "{one}"));
		this.a.store.ledger("renewals", 15).tryAcquire(NOW, 0);

		assertThat(this.a.template.keys("*")).isNotEmpty()
			.allMatch((key) -> key.startsWith("test-broker:{state}:"))
			.containsExactlyInAnyOrder("test-broker:{state}:account:main", "test-broker:{state}:fence:main",
					"test-broker:{state}:lease:main", "test-broker:{state}:ledger:renewals");
	}

	private static void pause(boolean paused) {
		var docker = redis.getDockerClient();
		if (paused) {
			docker.pauseContainerCmd(redis.getContainerId()).exec();
		}
		else {
			docker.unpauseContainerCmd(redis.getContainerId()).exec();
		}
	}

	/** One replica's connection and store. */
	private final class Replica implements AutoCloseable {

		final LettuceConnectionFactory connections;

		final StringRedisTemplate template;

		final RedisMessageListenerContainer listeners;

		final RedisStateStore store;

		Replica(String name, Duration leaseTime) {
			this.connections = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(redis.getHost(), redis.getMappedPort(6379)),
					LettuceClientConfiguration.builder()
						.commandTimeout(Duration.ofSeconds(1))
						.clientOptions(ClientOptions.builder()
							.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
							.build())
						.build());
			this.connections.afterPropertiesSet();
			this.connections.start();
			this.template = new StringRedisTemplate(this.connections);
			this.listeners = new RedisMessageListenerContainer();
			this.listeners.setConnectionFactory(this.connections);
			this.listeners.afterPropertiesSet();
			this.listeners.start();
			this.store = new RedisStateStore(this.template, this.listeners, "test-broker:", name, "test", leaseTime,
					new StoreMeter(RedisStateStoreTests.this.meters, "redis"));
		}

		@Override
		public void close() {
			this.listeners.stop();
			this.connections.destroy();
		}

	}

}
