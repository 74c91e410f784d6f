package io.tokenbroker.reload;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The sources of the running broker's settings, read anew: the same command line,
 * environment variables and other sources the process was started with, and every
 * settings file and {@code configtree} directory loaded again by Spring Boot's own config
 * data processing, with the same imports and profiles.
 */
class SettingsSources {

	private static final ConfigurationPropertyName BROKER = ConfigurationPropertyName.of("broker");

	private final ConfigurableEnvironment running;

	SettingsSources(ConfigurableEnvironment running) {
		this.running = running;
	}

	/** A new environment holding what the settings files say now. */
	ConfigurableEnvironment read() {
		StandardEnvironment fresh = new StandardEnvironment();
		MutablePropertySources sources = fresh.getPropertySources();
		sources.forEach((source) -> sources.remove(source.getName()));
		for (PropertySource<?> source : this.running.getPropertySources()) {
			if (!loadedFromFiles(source)
					&& !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				sources.addLast(source);
			}
		}
		ConfigDataEnvironmentPostProcessor.applyTo(fresh, new DefaultResourceLoader(), new DefaultBootstrapContext(),
				Arrays.asList(this.running.getActiveProfiles()));
		ConfigurationPropertySources.attach(fresh);
		return fresh;
	}

	/**
	 * What Spring Boot's config data loaded: settings files and {@code configtree}
	 * directories, read again by {@link #read()}.
	 */
	private static boolean loadedFromFiles(PropertySource<?> source) {
		return source instanceof OriginTrackedMapPropertySource || source instanceof ConfigTreePropertySource;
	}

	/**
	 * Every {@code broker.*} setting an environment holds, by name, with the value that
	 * wins. Secrets included: compared in memory, never printed.
	 */
	static Map<String, String> brokerValues(Environment environment) {
		Map<String, String> values = new TreeMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().filter(BROKER::isAncestorOf).forEach((name) -> {
					var property = source.getConfigurationProperty(name);
					if (property != null) {
						values.putIfAbsent(name.toString(), String.valueOf(property.getValue()));
					}
				});
			}
		}
		return values;
	}

}
