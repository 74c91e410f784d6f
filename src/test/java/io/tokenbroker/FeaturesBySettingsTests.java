package io.tokenbroker;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketConfiguration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The features the settings switch off leave no bean behind, decided at start-up: the
 * broker's own configuration by {@link PartOf}, Spring Boot's Redis configuration by its
 * package.
 */
class FeaturesBySettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(FeaturesBySettings.class, BrokerPart.class, SimulatorPart.class, Always.class)
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

	@Test
	void byDefaultTheBrokerRunsWithoutSimulatorRedisOrTracing() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasBean("brokerBean").hasBean("always").hasSingleBean(BrokerPart.class);
			assertThat(context).doesNotHaveBean("simulatorBean").doesNotHaveBean(SimulatorPart.class);
			assertThat(context).doesNotHaveBean("fleetBean").doesNotHaveBean(RedisConnectionFactory.class);
			assertThat(context).doesNotHaveBean(DataRedisAutoConfiguration.class);
		});
	}

	@Test
	void theRedisStoreBringsSpringBootsRedisAndTheBrokersOwnRedisBeans() {
		this.runner.withPropertyValues("broker.store.type=REDIS").run((context) -> {
			assertThat(context).hasBean("fleetBean").hasSingleBean(RedisConnectionFactory.class);
			assertThat(context).hasBean("brokerBean");
		});
	}

	@Test
	void aNestedPartNeedsEveryFeatureItIsPartOf() {
		this.runner.withPropertyValues("broker.enabled=false", "broker.store.type=redis", "simulator.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("brokerBean").doesNotHaveBean("fleetBean");
				assertThat(context).hasBean("simulatorBean").hasBean("always");
				// Spring Boot's Redis configuration follows the store type alone, as
				// before
				assertThat(context).hasSingleBean(RedisConnectionFactory.class);
			});
	}

	@Test
	void theFileAndMemoryStoresGetNoRedis() {
		this.runner.withPropertyValues("broker.store.type=file")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisConnectionFactory.class));
		this.runner.withPropertyValues("broker.store.type=memory")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisConnectionFactory.class));
	}

	@Test
	void theSimulatorsWebSocketSupportGoesWithIt() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withUserConfiguration(FeaturesBySettings.class, SimulatorSockets.class);
		web.run((context) -> assertThat(context).doesNotHaveBean(DelegatingWebSocketConfiguration.class)
			.doesNotHaveBean(SimulatorSockets.class));
		web.withPropertyValues("simulator.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DelegatingWebSocketConfiguration.class));
		// the gateway's sockets need it too, the simulator off
		web.withPropertyValues("broker.gateway.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DelegatingWebSocketConfiguration.class)
				.doesNotHaveBean(SimulatorSockets.class));
		web.withPropertyValues("broker.gateway.enabled=true", "broker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DelegatingWebSocketConfiguration.class));
	}

	@Test
	void aTypeThatIsNoStoreIsLeftToTheSettingsValidation() {
		assertThat(Feature.REDIS_STORE.isOn(new MockEnvironment().withProperty("broker.store.type", "mongo"))).isTrue();
	}

	@Test
	void tracingIsOnWithAnEndpointOnly() {
		assertThat(Feature.TRACING.isOn(new MockEnvironment())).isFalse();
		assertThat(Feature.TRACING.isOn(new MockEnvironment()
			.withProperty("management.opentelemetry.tracing.export.otlp.endpoint", "http://127.0.0.1:4318/v1/traces")))
			.isTrue();
	}

	@Test
	void aheadOfTimeProcessingKeepsEveryFeature() {
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		try {
			this.runner.run((context) -> assertThat(context).hasBean("simulatorBean")
				.hasBean("fleetBean")
				.hasSingleBean(RedisConnectionFactory.class));
		}
		finally {
			System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@PartOf(Feature.BROKER)
	static class BrokerPart {

		@Bean
		String brokerBean() {
			return "broker";
		}

		@Configuration(proxyBeanMethods = false)
		@PartOf(Feature.REDIS_STORE)
		static class FleetPart {

			@Bean
			String fleetBean() {
				return "fleet";
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@PartOf(Feature.SIMULATOR)
	static class SimulatorPart {

		@Bean
		String simulatorBean() {
			return "simulator";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@PartOf(Feature.SIMULATOR)
	@EnableWebSocket
	static class SimulatorSockets {

	}

	@Configuration(proxyBeanMethods = false)
	static class Always {

		@Bean
		String always() {
			return "always";
		}

	}

}
