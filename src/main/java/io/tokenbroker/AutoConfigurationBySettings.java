package io.tokenbroker;

import java.util.function.Predicate;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves Spring Boot auto-configurations out when the settings have no use for them (each
 * subclass listed in {@code META-INF/spring.factories}): what they would build costs
 * start-up time, threads, or work on every request.
 */
public abstract class AutoConfigurationBySettings implements AutoConfigurationImportFilter, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		Predicate<String> wanted = wanted(this.environment);
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = candidate == null || wanted.test(candidate);
		}
		return matches;
	}

	/** The auto-configurations, by class name, these settings have a use for. */
	protected abstract Predicate<String> wanted(Environment environment);

}
