package io.tokenbroker.gateway;

import java.util.ArrayList;
import java.util.List;

import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.RedisServer;

/**
 * {@link FleetGatewayLimits} with the replicas sharing one Redis, as a fleet does: one
 * session, leases, and the gateway's ledgers, holds and socket registry in Redis. The
 * Redis is Debian's {@code redis-server} set up as {@code docker-compose.redis.yml} sets
 * it up (the ACL user {@code broker}, the broker's keys only, no dangerous command), so
 * that the gateway's commands pass the rule operators copy; skipped without the binary.
 */
class FleetGatewayLimitsRedisTests extends FleetGatewayLimits {

	/** A store key (Base64 of 32 bytes): Redis keeps tokens only sealed. */
	private static final String STORE_KEY = "q2lqS1pDN3JjdUxNMkZqT3ZTWWNhZ3lSSzdyQk5vcXk=";

	private RedisServer redis;

	@Override
	protected Brokers.Started replica(String name, int simulatorPort, String... properties) {
		if (this.redis == null) {
			this.redis = RedisServer.startAsTheRecipe("fleet-gateway-password");
		}
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(this.redis.settings());
		all.addAll(List.of("broker.store.type=redis", "broker.store.keys.k1=" + STORE_KEY,
				"broker.store.replica-id=" + name));
		return Brokers.broker(this.clock, simulatorPort, List.of("main"), all.toArray(String[]::new));
	}

	/** The replicas first, then their Redis. */
	@Override
	protected void stop() {
		super.stop();
		if (this.redis != null) {
			this.redis.close();
		}
	}

}
