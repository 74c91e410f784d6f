package io.tokenbroker.operations;

import java.util.function.Predicate;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.tokenbroker.AutoConfigurationBySettings;

/**
 * Spring Boot's tracing auto-configuration (Micrometer Tracing, the OpenTelemetry SDK and
 * its OTLP exporter) only when spans have somewhere to go: with no
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} there is no tracer, no
 * span processor thread and no tracing handler on the observations of every request, as
 * if tracing were not in the jar. OpenTelemetry's log export is never configured: the jar
 * has no appender that would feed it, it would only run an idle thread.
 */
public class TracingOnlyWithAnEndpoint extends AutoConfigurationBySettings {

	/** Spring Boot's setting that turns tracing on here. */
	public static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private static final String[] TRACING_AUTO_CONFIGURATION = { "org.springframework.boot.micrometer.tracing.",
			"org.springframework.boot.opentelemetry.autoconfigure." };

	private static final String LOGGING_AUTO_CONFIGURATION = "org.springframework.boot.opentelemetry.autoconfigure.logging.";

	@Override
	protected Predicate<String> wanted(Environment environment) {
		boolean tracing = tracing(environment);
		return (candidate) -> !isTracing(candidate) || (tracing && !candidate.startsWith(LOGGING_AUTO_CONFIGURATION));
	}

	/**
	 * Whether spans are exported: an endpoint is set, and neither of Spring Boot's export
	 * switches is off.
	 */
	public static boolean tracing(Environment environment) {
		return StringUtils.hasText(environment.getProperty(ENDPOINT))
				&& environment.getProperty("management.tracing.export.enabled", Boolean.class, true)
				&& environment.getProperty("management.tracing.export.otlp.enabled", Boolean.class, true);
	}

	private static boolean isTracing(String candidate) {
		for (String prefix : TRACING_AUTO_CONFIGURATION) {
			if (candidate.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
