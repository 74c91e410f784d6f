package io.tokenbroker.gateway;

import java.util.ArrayList;
import java.util.List;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.TestImages;

/**
 * {@link FleetGatewayLimits} with the replicas sharing one Redis, as a fleet does: one
 * session, leases, and the gateway's ledgers, holds and socket registry in Redis.
 */
@Testcontainers(disabledWithoutDocker = true)
class FleetGatewayLimitsRedisTests extends FleetGatewayLimits {

	/** A store key (Base64 of 32 bytes): Redis keeps tokens only sealed. */
	private static final String STORE_KEY = "q2lqS1pDN3JjdUxNMkZqT3ZTWWNhZ3lSSzdyQk5vcXk=";

	private GenericContainer<?> redis;

	@Override
	protected Brokers.Started replica(String name, int simulatorPort, String... properties) {
		if (this.redis == null) {
			this.redis = new GenericContainer<>(TestImages.redis()).withExposedPorts(6379);
			this.redis.start();
		}
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of("broker.store.type=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + this.redis.getMappedPort(6379), "broker.store.keys.k1=" + STORE_KEY,
				"broker.store.replica-id=" + name));
		return Brokers.broker(this.clock, simulatorPort, List.of("main"), all.toArray(String[]::new));
	}

	/** The replicas first, then their Redis. */
	@Override
	protected void stop() {
		super.stop();
		if (this.redis != null) {
			this.redis.stop();
		}
	}

}
