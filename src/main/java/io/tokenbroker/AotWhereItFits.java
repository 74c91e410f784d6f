package io.tokenbroker;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

import io.tokenbroker.operations.TracingOnlyWithAnEndpoint;

/**
 * Starts without Spring's ahead-of-time code (a plain start, as with
 * {@code spring.aot.enabled} unset) when the settings ask for what Spring Boot decided
 * against when that code was built: spans exported over OTLP (the tracing
 * auto-configuration is left out of the build, {@link TracingOnlyWithAnEndpoint}), or the
 * management endpoints on their own port ({@code management.server.port}: the build
 * serves them on the main port). Everything the broker itself decides from settings is
 * decided at run time ({@link FeaturesBySettings}), so every other configuration keeps
 * the fast start.
 */
class AotWhereItFits implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	AotWhereItFits(DeferredLogFactory logs) {
		this.log = logs.getLog(AotWhereItFits.class);
	}

	@Override
	public int getOrder() {
		// once the configuration files are read
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		String outside = outsideTheBuild(environment);
		if (outside != null) {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
			this.log.info("Starting without ahead-of-time code (about a second slower): " + outside);
		}
	}

	/** What these settings ask for that the ahead-of-time build has not, or null. */
	static String outsideTheBuild(Environment environment) {
		if (TracingOnlyWithAnEndpoint.tracing(environment)) {
			return "spans are exported (" + TracingOnlyWithAnEndpoint.ENDPOINT + ")";
		}
		if (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
			return "the management endpoints have their own port (management.server.port)";
		}
		return null;
	}

}
