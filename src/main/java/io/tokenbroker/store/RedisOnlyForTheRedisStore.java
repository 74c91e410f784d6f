package io.tokenbroker.store;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's Redis auto-configuration (connection factory, templates, Lettuce's
 * resources, health, observations) only when {@code broker.store.type=redis}: with the
 * file or memory store nothing talks to Redis, and building those beans cost every start
 * about a quarter of a second.
 */
public class RedisOnlyForTheRedisStore implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean redis = redisStore();
		for (int i = 0; i < matches.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = redis || candidate == null || !candidate.startsWith(REDIS_AUTO_CONFIGURATION);
		}
		return matches;
	}

	private boolean redisStore() {
		try {
			return Binder.get(this.environment)
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
