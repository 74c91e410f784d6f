package io.tokenbroker.store;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The store's smaller roles beside {@link StateStore}: the fleet-wide count of open
 * sockets and the holds, each kept where the store keeps its state (in Redis for a fleet,
 * in memory for a broker that runs alone).
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class StoreRolesConfiguration {

	@Bean
	SocketRegistry socketRegistry(StateStore store, StoreProperties properties,
			ObjectProvider<StringRedisTemplate> redis) {
		if (store instanceof RedisStateStore shared) {
			return new RedisSocketRegistry(shared, redis.getObject(), new RedisKeys(properties.prefix()));
		}
		return new LocalSocketRegistry();
	}

	@Bean
	Holds holds(StateStore store, StoreProperties properties, ObjectProvider<StringRedisTemplate> redis) {
		if (store instanceof RedisStateStore shared) {
			return new RedisHolds(shared, redis.getObject(), new RedisKeys(properties.prefix()));
		}
		return new LocalHolds();
	}

}
