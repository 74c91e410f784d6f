package io.tokenbroker.account;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.stereotype.Component;

/**
 * Refuses a duration setting of the broker or the simulator given as a bare number:
 * Spring would read {@code BROKER_RETRY_COOL_DOWN=3600} as 3.6 seconds, silently
 * defeating the protection the setting is for. Only {@code 0} needs no unit. Checked on
 * the value as written (a string from a variable, a file or the command line, or a YAML
 * number), for every {@link Duration} the settings records bind, so a new duration
 * setting is covered without being listed.
 */
@Component
class DurationsWithUnits implements ConfigurationPropertiesBindHandlerAdvisor {

	private static final ConfigurationPropertyName BROKER = ConfigurationPropertyName.of("broker");

	private static final ConfigurationPropertyName SIMULATOR = ConfigurationPropertyName.of("simulator");

	private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d*)?");

	private static final Pattern ZERO = Pattern.compile("[-+]?0+(\\.0*)?");

	@Override
	public BindHandler apply(BindHandler handler) {
		return new AbstractBindHandler(handler) {

			@Override
			public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				if (Duration.class.equals(target.getType().resolve()) && ours(name)) {
					check(name, context.getConfigurationProperty());
				}
				return super.onSuccess(name, target, context, result);
			}

		};
	}

	private static boolean ours(ConfigurationPropertyName name) {
		return BROKER.isAncestorOf(name) || SIMULATOR.isAncestorOf(name);
	}

	private static void check(ConfigurationPropertyName name, ConfigurationProperty property) {
		if (property == null || !name.equals(property.getName()) || property.getValue() == null) {
			// a default value (@DefaultValue), written by the broker itself with its unit
			return;
		}
		String written = String.valueOf(property.getValue()).strip();
		if (BARE_NUMBER.matcher(written).matches() && !ZERO.matcher(written).matches()) {
			String origin = (property.getOrigin() != null) ? " (set in " + property.getOrigin() + ")" : "";
			throw new SettingsException("Invalid settings:\n - " + SettingsFailureAnalyzer.named(name.toString())
					+ ": a duration needs a unit, as in 30s, 500ms, 10m or 1h; a bare number is refused, where it "
					+ "would be read as milliseconds" + origin,
					"Give the duration with its unit (ms, s, m, h or d): " + example(name, property)
							+ ". Only 0 needs none.",
					null);
		}
	}

	/**
	 * The setting with a unit, as it was written: {@code BROKER_RETRY_COOL_DOWN=30s} for
	 * a variable, {@code broker.retry.cool-down=30s} otherwise.
	 */
	private static String example(ConfigurationPropertyName name, ConfigurationProperty property) {
		for (Origin origin = property.getOrigin(); origin != null; origin = origin.getParent()) {
			if (origin instanceof SystemEnvironmentOrigin variable) {
				return variable.getProperty() + "=30s";
			}
			if (origin instanceof PropertySourceOrigin source
					&& source.getPropertySource() instanceof SystemEnvironmentPropertySource) {
				return source.getPropertyName() + "=30s";
			}
		}
		return SettingsFailureAnalyzer.property(name.toString()) + "=30s";
	}

}
