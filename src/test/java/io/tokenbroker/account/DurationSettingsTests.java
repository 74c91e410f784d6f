package io.tokenbroker.account;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.tokenbroker.TokenBrokerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every duration setting of the configuration metadata refuses a bare number (Spring
 * would read {@code 3600} as 3.6 seconds) with one line naming the setting, its
 * environment variable and an example with a unit, and takes its default written with a
 * unit.
 */
@ExtendWith(OutputCaptureExtension.class)
class DurationSettingsTests {

	/**
	 * Every settings record of the broker and the simulator, bound as the broker binds
	 * them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConfigurationPropertiesScan("io.tokenbroker")
	@Import(DurationsWithUnits.class)
	static class AllSettings {

	}

	// without accounts or clients: only the durations are under test; the simulator's
	// settings are bound only when it is on
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(AllSettings.class)
		.withPropertyValues("broker.enabled=false", "simulator.enabled=true");

	@Test
	void everyDurationSettingRefusesABareNumberNamingItsVariable() {
		Map<String, String> durations = durationSettings();
		assertThat(durations).containsKeys("broker.wait-for-token", "broker.retry.cool-down", "broker.store.lease-time",
				"simulator.token-lifetime");

		durations.keySet().forEach((name) -> this.runner.withPropertyValues(name + "=10").run((context) -> {
			String refusal = refusal(name, context);
			assertThat(refusal).as(name)
				.contains(" - " + SettingsFailureAnalyzer.named(name)
						+ ": a duration needs a unit, as in 30s, 500ms, 10m or 1h; a bare number is refused")
				.contains("environment variable " + SettingsFailureAnalyzer.variable(name));
		}));
	}

	@Test
	void everyDurationSettingTakesItsDefaultWrittenWithAUnit() {
		// all at once, in one context: a refused one fails it, and the failure names it
		String[] defaults = durationSettings().entrySet()
			.stream()
			.map((setting) -> setting.getKey() + "=" + setting.getValue())
			.toArray(String[]::new);
		assertThat(defaults).hasSizeGreaterThan(4);
		this.runner.withPropertyValues(defaults).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void zeroNeedsNoUnit() {
		this.runner.withPropertyValues("broker.liveness.check-interval=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aNumberFromYamlIsRefusedToo() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("application.yml", Map.of("broker.retry.cool-down", 3600))))
			.run((context) -> assertThat(refusal("broker.retry.cool-down", context))
				.contains(" - broker.retry.cool-down (")
				.contains("a bare number is refused"));
	}

	@Test
	void aVariableIsNamedAsWrittenInTheExample() {
		this.runner
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("BROKER_WAIT_FOR_TOKEN", "10"))))
			.run((context) -> {
				FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("broker.wait-for-token (environment variable ")
					.contains("BROKER_WAIT_FOR_TOKEN");
				assertThat(analysis.getAction()).contains("BROKER_WAIT_FOR_TOKEN=30s");
			});
	}

	@Test
	void aDurationWithItsUnitOrInIsoFormIsTaken() {
		this.runner.withPropertyValues("broker.retry.cool-down=3600s", "broker.wait-for-token=PT10S")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	@Tag("application")
	void theBrokerStopsAtStartWithTheOneLine(CapturedOutput output) {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("BROKER_RETRY_COOL_DOWN", "3600");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));

		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(TokenBrokerApplication.class).environment(environment)
				.run("--server.port=0", "--spring.main.banner-mode=off", "--spring.profiles.active=sim")
				.close());

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains(" - broker.retry.cool-down (environment variable BROKER_RETRY_COOLDOWN, configtree file "
					+ "broker.retry.cool-down): a duration needs a unit, as in 30s, 500ms, 10m or 1h")
			.contains("(set in System Environment Property \"BROKER_RETRY_COOL_DOWN\")")
			.contains("BROKER_RETRY_COOL_DOWN=30s");
	}

	private static String refusal(String name, AssertableApplicationContext context) {
		assertThat(context).as(name).hasFailed();
		FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis.getDescription();
	}

	/**
	 * Every {@code broker.*} and {@code simulator.*} duration of the build's
	 * configuration metadata, with its default.
	 */
	private static Map<String, String> durationSettings() {
		Map<String, String> durations = new LinkedHashMap<>();
		try {
			Enumeration<URL> files = DurationSettingsTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			while (files.hasMoreElements()) {
				try (InputStream in = files.nextElement().openStream()) {
					for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
						String name = property.path("name").asString("");
						if ("java.time.Duration".equals(property.path("type").asString(""))
								&& (name.startsWith("broker.") || name.startsWith("simulator."))) {
							durations.put(name.replace(".*.", ".main."), property.path("defaultValue").asString("1s"));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return durations;
	}

}
