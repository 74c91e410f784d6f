package io.tokenbroker.store;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.StringUtils;

import io.tokenbroker.account.PublishedKeys;
import io.tokenbroker.account.SettingsException;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Builds the state store that {@code broker.store.type} names, its keys, and its health.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class StoreConfiguration {

	private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

	/**
	 * @throws SettingsException when a store key is a published one, outside the demo
	 * profile
	 */
	@Bean
	StoreKeys storeKeys(StoreProperties properties, Environment environment) {
		PublishedKeys.refuseOutsideTheDemo(environment, PublishedKeys.in(Map.of(), properties.keys()));
		return properties.storeKeys();
	}

	@Bean
	StoreMeter storeMeter(MeterRegistry registry, StoreProperties properties) {
		return new StoreMeter(registry, properties.type().name().toLowerCase(Locale.ROOT));
	}

	@Bean
	StateStore stateStore(StoreProperties properties, StoreKeys keys, StoreMeter meter,
			ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisMessageListenerContainer> listeners,
			ObjectProvider<RedisConnectionFactory> connections) {
		String replica = StringUtils.hasText(properties.replicaId()) ? properties.replicaId() : defaultReplicaId();
		StateStore store = switch (properties.type()) {
			case MEMORY -> new MemoryStateStore(replica);
			case FILE -> new FileStateStore(properties.path(), replica, meter);
			case REDIS -> new RedisStateStore(redis.getObject(), listeners.getObject(), properties.prefix(), replica,
					where(connections.getObject()), properties.leaseTime(), meter);
		};
		log.info("State store: {}, replica {}; {}", store.describe(), replica,
				keys.canSeal() ? "tokens are kept sealed with store key '" + keys.activeId() + "'"
						: "no store key, so tokens are not kept");
		if (!keys.canSeal() && properties.type() == StoreProperties.Type.FILE) {
			log.warn("No store key (broker.store.keys.<key-id>): waits and hourly budgets survive restarts, but the "
					+ "token does not, so each restart logs in again and opens a new Tradovate session");
		}
		return store;
	}

	@Bean
	StoreHealth storeHealthIndicator(StateStore store, StoreKeys keys, StoreMeter meter) {
		return new StoreHealth(store, keys, meter);
	}

	static String where(RedisConnectionFactory connections) {
		if (connections instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.getClusterConfiguration() != null) {
				return "cluster";
			}
			if (lettuce.getSentinelConfiguration() != null) {
				return "sentinel master " + lettuce.getSentinelConfiguration().getMaster().getName();
			}
			return lettuce.getHostName() + ":" + lettuce.getPort();
		}
		return connections.getClass().getSimpleName();
	}

	private static String defaultReplicaId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host.replaceAll("[^A-Za-z0-9_.:-]", "-") + "-" + ManagementFactory.getRuntimeMXBean().getPid();
	}

	/** What the Redis store adds to the connection Spring Boot sets up. */
	@Configuration(proxyBeanMethods = false)
	@PartOf(Feature.REDIS_STORE)
	static class RedisStoreConfiguration {

		/**
		 * Change notices and messages between replicas, on the connection Spring Boot set
		 * up.
		 */
		@Bean
		RedisMessageListenerContainer brokerRedisListeners(RedisConnectionFactory connections) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connections);
			// retried until Redis answers again, so notices resume after an outage
			container.setRecoveryInterval(1000);
			return container;
		}

		/**
		 * Commands fail at once while Redis is unreachable instead of queueing: a replica
		 * then knows it is cut off and acts on it, and no stale write lands later.
		 */
		@Bean
		LettuceClientOptionsBuilderCustomizer brokerRedisClientOptions() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

	}

}
