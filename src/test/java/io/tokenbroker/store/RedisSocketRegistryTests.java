package io.tokenbroker.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tokenbroker.testing.TestImages;

/**
 * {@link SocketRegistryContract} against a real Redis, each replica on its own
 * connection.
 */
@Tag("application")
@Testcontainers(disabledWithoutDocker = true)
class RedisSocketRegistryTests extends SocketRegistryContract {

	@Container
	static final GenericContainer<?> redis = new GenericContainer<>(TestImages.redis()).withExposedPorts(6379);

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final List<SocketRegistry> registries = new ArrayList<>();

	private final List<Holds> holds = new ArrayList<>();

	@BeforeEach
	void connect() {
		for (int i = 0; i < 2; i++) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", redis.getMappedPort(6379)));
			factory.afterPropertiesSet();
			factory.start();
			this.connections.add(factory);
			StringRedisTemplate template = new StringRedisTemplate(factory);
			RedisStateStore store = new RedisStateStore(template, null, "test-broker:", "replica-" + i, "test",
					Duration.ofSeconds(15), new StoreMeter(new SimpleMeterRegistry(), "redis"));
			RedisKeys keys = new RedisKeys("test-broker:");
			this.registries.add(new RedisSocketRegistry(store, template, keys));
			this.holds.add(new RedisHolds(store, template, keys));
		}
		new StringRedisTemplate(this.connections.get(0)).execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void disconnect() {
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	SocketRegistry registry(int replica) {
		return this.registries.get(replica);
	}

	@Override
	Holds holds(int replica) {
		return this.holds.get(replica);
	}

}
