package io.tokenbroker.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Masks the settings that are secrets in {@code /actuator/env} and
 * {@code /actuator/configprops} whatever {@code show-values} says: each account's
 * password and API secret, the store keys, Redis's password and URL (which may carry it),
 * the simulator users' secrets. Also any other value that carries one of them: a JSON of
 * settings ({@code SPRING_APPLICATION_JSON}), the JVM's command line
 * ({@code sun.java.command} holds {@code --broker.accounts.main.password=...}).
 */
@Component
final class SecretSettings implements SanitizingFunction {

	/** Secret settings, in the canonical form {@link #canonical} gives every name. */
	private static final Pattern SECRET = Pattern.compile("broker\\.accounts\\.[^.]+\\.(password|secret)"
			+ "|broker\\.store\\.keys\\..+|spring\\.data\\.redis\\.(password|url)"
			+ "|simulator\\.users\\.[^.]+\\.(password|secret)|spring\\.application\\.json");

	/**
	 * Shorter values are masked by name only: looked for inside others, they would hide
	 * most.
	 */
	private static final int SHORTEST_LOOKED_FOR = 6;

	private final List<String> values;

	/** Reads the secret values the environment holds now, from every property source. */
	SecretSettings(ConfigurableEnvironment environment) {
		List<String> values = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Object value = enumerable.getProperty(name);
					if (isSecret(name) && value != null && value.toString().strip().length() >= SHORTEST_LOOKED_FOR) {
						values.add(value.toString().strip());
					}
				}
			}
		}
		this.values = List.copyOf(values);
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		Object value = data.getValue();
		if (value == null) {
			return data;
		}
		if (isSecret(data.getKey())) {
			return data.withSanitizedValue();
		}
		String text = value.toString();
		for (String secret : this.values) {
			if (text.contains(secret)) {
				return data.withSanitizedValue();
			}
		}
		return data;
	}

	static boolean isSecret(String name) {
		return name != null && SECRET.matcher(canonical(name)).matches();
	}

	/**
	 * {@code broker.accounts.main.password}, {@code broker.accounts[main].password} and
	 * {@code BROKER_ACCOUNTS_MAIN_PASSWORD} alike, as relaxed binding reads them.
	 */
	private static String canonical(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '.').replace("[", ".").replace("]", "").replace("-", "");
	}

}
