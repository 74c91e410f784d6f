package io.tokenbroker.store;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's Redis auto-configuration is imported for the Redis store only.
 */
class RedisOnlyForTheRedisStoreTests {

	private static final String[] CANDIDATES = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration", null };

	private boolean[] match(String storeType) {
		MockEnvironment environment = new MockEnvironment();
		if (storeType != null) {
			environment.setProperty("broker.store.type", storeType);
		}
		RedisOnlyForTheRedisStore filter = new RedisOnlyForTheRedisStore();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES, null);
	}

	@Test
	void theFileStoreByDefaultAndTheMemoryStoreGetNoRedis() {
		assertThat(match(null)).containsExactly(false, false, false, true, true);
		assertThat(match("file")).containsExactly(false, false, false, true, true);
		assertThat(match("MEMORY")).containsExactly(false, false, false, true, true);
	}

	@Test
	void theRedisStoreGetsSpringBootsRedisAutoConfiguration() {
		assertThat(match("redis")).containsOnly(true);
		assertThat(match("REDIS")).containsOnly(true);
	}

	@Test
	void aTypeThatIsNoStoreIsLeftToTheSettingsValidation() {
		assertThat(match("mongo")).containsOnly(true);
	}

}
