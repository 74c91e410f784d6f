package io.tokenbroker.operations;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Spring Boot's tracing auto-configuration (Micrometer Tracing, the OpenTelemetry SDK and
 * its OTLP exporter) only when spans have somewhere to go: with no
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} there is no tracer, no
 * span processor thread and no tracing handler on the observations of every request, as
 * if tracing were not in the jar. OpenTelemetry's log export is never configured: the jar
 * has no appender that would feed it, it would only run an idle thread.
 */
public class TracingOnlyWithAnEndpoint implements AutoConfigurationImportFilter, EnvironmentAware {

	/** Spring Boot's setting that turns tracing on here. */
	public static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private static final String[] TRACING_AUTO_CONFIGURATION = { "org.springframework.boot.micrometer.tracing.",
			"org.springframework.boot.opentelemetry.autoconfigure." };

	private static final String LOGGING_AUTO_CONFIGURATION = "org.springframework.boot.opentelemetry.autoconfigure.logging.";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean tracing = tracing(this.environment);
		for (int i = 0; i < matches.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = candidate == null || !isTracing(candidate)
					|| (tracing && !candidate.startsWith(LOGGING_AUTO_CONFIGURATION));
		}
		return matches;
	}

	/**
	 * Whether spans are exported: an endpoint is set, and neither of Spring Boot's export
	 * switches is off.
	 */
	static boolean tracing(Environment environment) {
		return StringUtils.hasText(environment.getProperty(ENDPOINT))
				&& environment.getProperty("management.tracing.export.enabled", Boolean.class, true)
				&& environment.getProperty("management.tracing.export.otlp.enabled", Boolean.class, true);
	}

	/** For the broker's own tracing beans: the same rule. */
	static final class Exporting implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return tracing(context.getEnvironment());
		}

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
