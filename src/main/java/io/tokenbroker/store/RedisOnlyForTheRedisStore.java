package io.tokenbroker.store;

import java.util.function.Predicate;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.tokenbroker.AutoConfigurationBySettings;

/**
 * Spring Boot's Redis auto-configuration (connection factory, templates, Lettuce's
 * resources, health, observations) only when {@code broker.store.type=redis}: with the
 * file or memory store nothing talks to Redis, and building those beans cost every start
 * about a quarter of a second.
 */
public class RedisOnlyForTheRedisStore extends AutoConfigurationBySettings {

	private static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

	@Override
	protected Predicate<String> wanted(Environment environment) {
		boolean redis = redisStore(environment);
		return (candidate) -> redis || !candidate.startsWith(REDIS_AUTO_CONFIGURATION);
	}

	private static boolean redisStore(Environment environment) {
		try {
			return Binder.get(environment)
				.bind("broker.store.type", StoreProperties.Type.class)
				.map(StoreProperties.Type.REDIS::equals)
				.orElse(false);
		}
		catch (BindException ex) {
			// not a store type: the settings' validation says so, with the usual message
			return true;
		}
	}

}
