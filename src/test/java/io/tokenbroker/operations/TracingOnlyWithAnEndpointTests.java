package io.tokenbroker.operations;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's tracing auto-configuration is imported only when spans are exported.
 */
class TracingOnlyWithAnEndpointTests {

	private static final String[] CANDIDATES = {
			"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration",
			"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration", null };

	private boolean[] match(String... settings) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i < settings.length; i += 2) {
			environment.setProperty(settings[i], settings[i + 1]);
		}
		TracingOnlyWithAnEndpoint filter = new TracingOnlyWithAnEndpoint();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES, null);
	}

	@Test
	void withoutAnEndpointThereIsNoTracingAtAllButObservationsStay() {
		assertThat(match()).containsExactly(false, false, false, false, false, false, false, true, true);
		assertThat(match(TracingOnlyWithAnEndpoint.ENDPOINT, " ")).containsExactly(false, false, false, false, false,
				false, false, true, true);
	}

	@Test
	void anEndpointBringsTracingButNeverTheIdleLogExport() {
		assertThat(match(TracingOnlyWithAnEndpoint.ENDPOINT, "http://127.0.0.1:4318/v1/traces")).containsExactly(true,
				true, true, true, true, false, false, true, true);
	}

	@Test
	void springBootsExportSwitchesStillTurnItOff() {
		String endpoint = "http://127.0.0.1:4318/v1/traces";
		assertThat(match(TracingOnlyWithAnEndpoint.ENDPOINT, endpoint, "management.tracing.export.enabled", "false"))
			.containsExactly(false, false, false, false, false, false, false, true, true);
		assertThat(
				match(TracingOnlyWithAnEndpoint.ENDPOINT, endpoint, "management.tracing.export.otlp.enabled", "false"))
			.containsExactly(false, false, false, false, false, false, false, true, true);
	}

}
