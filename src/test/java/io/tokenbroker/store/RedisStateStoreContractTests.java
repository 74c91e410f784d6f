package io.tokenbroker.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.tokenbroker.testing.RedisServer;

/**
 * The Redis store keeps the contract of every store, shared by replicas, on a real
 * {@code redis-server} process with a password (skipped where it is not installed; CI
 * installs it). What only Redis does (a lease that expires by itself, Redis that stops
 * answering, the keys' names) is in {@link RedisStateStoreTests}.
 */
@Tag("application")
class RedisStateStoreContractTests extends StateStoreContract {

	private static final String PASSWORD = "contract-redis-password";

	private static final String PREFIX = "contract:";

	private static RedisServer server;

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final List<RedisMessageListenerContainer> listeners = new ArrayList<>();

	private StringRedisTemplate admin;

	@BeforeAll
	static void startRedis() {
		server = RedisServer.start(PASSWORD);
	}

	@AfterAll
	static void stopRedis() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void emptyRedis() {
		this.admin = new StringRedisTemplate(connect());
		this.admin.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void disconnect() {
		this.listeners.forEach(RedisMessageListenerContainer::stop);
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Override
	protected StateStore open(String replica) {
		LettuceConnectionFactory factory = connect();
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(factory);
		container.afterPropertiesSet();
		container.start();
		this.listeners.add(container);
		return new RedisStateStore(new StringRedisTemplate(factory), container, PREFIX, replica, "127.0.0.1",
				Duration.ofSeconds(15), new StoreMeter(new SimpleMeterRegistry(), "redis"));
	}

	@Override
	protected void leaseRunsOut(String account) {
		// what Redis does when the lease's time is up (RedisStateStoreTests waits for it)
		this.admin.delete(new RedisKeys(PREFIX).lease(account));
	}

	@Override
	protected StateStore reopen(StateStore closed) {
		return open(closed.replica());
	}

	@Override
	protected String[] secretsOfTheStore() {
		return new String[] { PASSWORD };
	}

	private LettuceConnectionFactory connect() {
		LettuceConnectionFactory factory = server.connect();
		this.connections.add(factory);
		return factory;
	}

}
