package io.tokenbroker.testing;

import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * A Redis container for tests of the shared store, connected through Spring Boot's own
 * {@code spring.data.redis.*} connection details. Its image comes from
 * {@link TestImages#redis()}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RedisContainerConfiguration {

	@Bean
	@ServiceConnection(name = "redis")
	GenericContainer<?> redisContainer() {
		return new GenericContainer<>(TestImages.redis()).withExposedPorts(6379);
	}

}
