package io.tokenbroker.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import io.tokenbroker.FeaturesBySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The simulator's configuration: absent unless enabled, and Tradovate's figures as
 * defaults.
 */
class SimulatorConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withBean(Clock.class, Clock::systemUTC)
		.withUserConfiguration(FeaturesBySettings.class, SimulatedTradovate.class, ReplyDelivery.class,
				TradovateAuthController.class, SimulatorAdminController.class, SimulatorConfiguration.class,
				SimulatorBanner.class);

	@Test
	void isAbsentByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(SimulatedTradovate.class);
			assertThat(context).doesNotHaveBean(TradovateAuthController.class);
			assertThat(context).doesNotHaveBean(SimulatorAdminController.class);
			assertThat(context).doesNotHaveBean(SimulatorConfiguration.class);
			assertThat(context).doesNotHaveBean(SimulatorBanner.class);
			assertThat(context).doesNotHaveBean(SimulatorProperties.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
		});
	}

	@Test
	void isAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("simulator.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SimulatedTradovate.class));
	}

	@Test
	void defaultsAreTradovatesFigures() {
		SimulatorProperties properties = TestSimulators.properties(Map.of());

		assertThat(properties.users()).isEmpty();
		assertThat(properties.wrongCredentialsStatus()).isEqualTo(200);
		assertThat(properties.tokenLifetime()).isEqualTo(Duration.ofMinutes(80));
		assertThat(properties.clockOffset()).isZero();
		assertThat(properties.maxSessionsPerUser()).isEqualTo(2);
		assertThat(properties.renewalReturnsMdToken()).isFalse();
		assertThat(properties.renewalRevokesPreviousToken()).isFalse();
		assertThat(properties.expirationTimeWithMillis()).isTrue();
		assertThat(properties.limits().failedLoginsPerHour()).isEqualTo(5);
		assertThat(properties.limits().renewalsPerHour()).isEqualTo(15);
		assertThat(properties.limits().failedMePerHour()).isEqualTo(10);
		assertThat(properties.limits().loginPenaltyTime()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.limits().renewalPenaltyTime()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.limits().mePenaltyTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.limits().requestsPerHour()).isEqualTo(5000);
		assertThat(properties.limits().userLock()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.deadTokenAnswer()).isEqualTo(SimulatorProperties.DeadTokenAnswer.UNAUTHORIZED);
		assertThat(properties.hibpHint()).isNull();
		assertThat(properties.websocket().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.websocket().maxConnections()).isEqualTo(50);
		assertThat(properties.websocket().maxMarketDataDevices()).isEqualTo(15);
		assertThat(properties.websocket().maxAddresses()).isEqualTo(5);
		assertThat(properties.penaltiesBeforeCaptcha()).isEqualTo(3);
		assertThat(properties.captchaLock()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.demoClientKey()).isNull();
		assertThat(properties).isEqualTo(SimulatorProperties.defaults());
		assertThat(SimulatedUser.from(properties)).containsOnlyKeys("sim-user");
	}

	@Test
	void bindsUsers() {
		SimulatorProperties properties = TestSimulators.properties(Map.of("simulator.users.alice.name", "Alice.Smith",
				"simulator.users.alice.password", "pw", "simulator.users.alice.app-id", "app",
				"simulator.users.alice.cid", "7", "simulator.users.alice.secret", "s"));

		SimulatedUser alice = SimulatedUser.from(properties).get("Alice.Smith");

		assertThat(alice.cid()).isEqualTo(7);
		assertThat(alice.userId()).isEqualTo(SimulatedUser.deriveUserId("Alice.Smith"));
		assertThat(alice.hasLive()).isFalse();
	}

	@Test
	void refusesAnIncompleteUser() {
		new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
			.withPropertyValues("simulator.enabled=true", "simulator.users.alice.password=pw",
					"simulator.users.alice.cid=1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("users[alice].appId")
				.hasMessageContaining("users[alice].secret")
				.message()
				.doesNotContain("pw"));
	}

	@Test
	void refusesAWrongCredentialsStatusOtherThan200Or401() {
		Binder binder = new Binder(new MapConfigurationPropertySource(
				Map.of("simulator.enabled", "true", "simulator.wrong-credentials-status", "403")));

		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> binder.bindOrCreate("simulator", SimulatorProperties.class));
	}

	@EnableConfigurationProperties(SimulatorProperties.class)
	static class PropertiesOnly {

	}

}
