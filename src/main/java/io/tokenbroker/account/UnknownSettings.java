package io.tokenbroker.account;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start with a {@code broker.*} setting that nothing reads, from any source
 * (files, environment variables, {@code configtree}, the command line): a typo such as
 * {@code broker.acounts.main.password} would otherwise pass silently and leave the
 * account without its password, or worse, a limit at its default. Names the setting, its
 * source and the closest known one; never a value. Runs once every source is loaded.
 */
class UnknownSettings implements EnvironmentPostProcessor, Ordered {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("broker");

	/** Where the broker's settings classes are. */
	private static final String PACKAGE = "io.tokenbroker";

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Override
	public int getOrder() {
		// after ConfigDataEnvironmentPostProcessor, which loads files and configtree
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		check(environment);
	}

	/**
	 * @throws SettingsException naming each unknown setting, its source and the closest
	 * known one
	 */
	static void check(ConfigurableEnvironment environment) {
		List<String> known = known();
		Set<String> problems = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
			iterable.stream().filter(ROOT::isAncestorOf).forEach((name) -> {
				if (!(variables ? matchesAnyVariable(name, known) : matchesAny(name, known))) {
					problems.add(written(source, name) + " (from " + origin(source) + "): no such setting"
							+ closest(name, known).map((close) -> "; did you mean " + close + "?").orElse(""));
				}
			});
		}
		if (!problems.isEmpty()) {
			throw new SettingsException("Unknown settings:\n - " + String.join("\n - ", problems),
					"Correct or remove them: the broker does not start with settings it would ignore. Account and "
							+ "client ids are lower case letters and digits.",
					null);
		}
	}

	// an environment variable by its own name (Spring reads BROKER_A_B_0 as
	// broker.a.b[0])
	private static String written(ConfigurationPropertySource source, ConfigurationPropertyName name) {
		if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
			return name.toString().replace('.', '_').replace('[', '_').replace("]", "").toUpperCase(Locale.ROOT);
		}
		return name.toString();
	}

	private static String origin(ConfigurationPropertySource source) {
		Object underlying = source.getUnderlyingSource();
		return (underlying instanceof org.springframework.core.env.PropertySource<?> property) ? property.getName()
				: String.valueOf(underlying);
	}

	/** Every setting the broker reads, {@code *} standing for a map key. */
	static List<String> known() {
		List<String> known = new ArrayList<>();
		for (Class<?> type : settingsClasses()) {
			MergedAnnotation<ConfigurationProperties> settings = MergedAnnotations.from(type)
				.get(ConfigurationProperties.class);
			// value and prefix are aliases; an actuator endpoint has settings too
			String prefix = settings.isPresent() ? settings.getString("prefix") : "";
			if (prefix.equals("broker") || prefix.startsWith("broker.")) {
				shape(prefix, type, known);
			}
		}
		return known;
	}

	/**
	 * The broker's {@code @ConfigurationProperties} classes, from the metadata the build
	 * generates (spring-boot-configuration-processor): reading it costs a few
	 * milliseconds, where scanning the classes took a tenth of the start-up.
	 */
	static Set<Class<?>> settingsClasses() {
		ClassLoader loader = UnknownSettings.class.getClassLoader();
		Set<Class<?>> types = new LinkedHashSet<>();
		try {
			Enumeration<URL> files = loader.getResources(METADATA);
			while (files.hasMoreElements()) {
				try (InputStream in = files.nextElement().openStream()) {
					for (JsonNode group : JsonMapper.shared().readTree(in).path("groups")) {
						String type = group.path("type").asString("");
						if (type.startsWith(PACKAGE + ".") && group.path("sourceMethod").isMissingNode()) {
							types.add(ClassUtils.resolveClassName(type, loader));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The broker's settings metadata cannot be read", ex);
		}
		if (types.isEmpty()) {
			throw new IllegalStateException("No " + METADATA + " describes the broker's settings: build the broker "
					+ "with spring-boot-configuration-processor, as its Maven build does");
		}
		return types;
	}

	private static void shape(String path, Type type, List<String> known) {
		Class<?> raw = raw(type);
		if (raw.isRecord()) {
			for (RecordComponent component : raw.getRecordComponents()) {
				shape(path + "." + kebab(component.getName()), component.getGenericType(), known);
			}
		}
		else if (Map.class.isAssignableFrom(raw)) {
			shape(path + ".*", argument(type, 1), known);
		}
		else {
			// a value, or a list of values (indexes are dropped before matching)
			known.add(path);
		}
	}

	private static Class<?> raw(Type type) {
		if (type instanceof ParameterizedType parameterized) {
			return (Class<?>) parameterized.getRawType();
		}
		return (type instanceof Class<?> plain) ? plain : Object.class;
	}

	private static Type argument(Type type, int index) {
		return (type instanceof ParameterizedType parameterized) ? parameterized.getActualTypeArguments()[index]
				: Object.class;
	}

	static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/** A setting's segments: map keys as they are, list indexes left out. */
	private static List<String> segments(ConfigurationPropertyName name) {
		List<String> segments = new ArrayList<>();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			if (!name.isNumericIndex(i)) {
				segments.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
			}
		}
		return segments;
	}

	static boolean matchesAny(ConfigurationPropertyName name, Collection<String> known) {
		List<String> segments = segments(name);
		return known.stream().anyMatch((pattern) -> matches(segments, pattern.split("\\.")));
	}

	/**
	 * An environment variable's name, read by Spring as dotted segments (
	 * {@code BROKER_ACCOUNTS_MAIN_APP_ID} as {@code broker.accounts.main.app.id}),
	 * matches a setting whose dashes it writes as underscores or leaves out, as Spring's
	 * binding does. Ids have no underscore, so each map key is one segment.
	 */
	static boolean matchesAnyVariable(ConfigurationPropertyName name, Collection<String> known) {
		String variable = String.join("_", segments(name)).toLowerCase(Locale.ROOT);
		return known.stream().anyMatch((pattern) -> variable.matches(variablePattern(pattern)));
	}

	private static String variablePattern(String pattern) {
		List<String> elements = new ArrayList<>();
		for (String element : pattern.split("\\.")) {
			elements.add(element.equals("*") ? "[a-z0-9]+" : Pattern.quote(element).replace("-", "\\E_?\\Q"));
		}
		return String.join("_", elements);
	}

	private static boolean matches(List<String> segments, String[] pattern) {
		if (segments.size() != pattern.length) {
			return false;
		}
		for (int i = 0; i < pattern.length; i++) {
			if (!pattern[i].equals("*") && !pattern[i].equals(segments.get(i))) {
				return false;
			}
		}
		return true;
	}

	/** The known setting nearest to a name (map keys taken from the name itself). */
	static Optional<String> closest(ConfigurationPropertyName name, Collection<String> known) {
		List<String> segments = segments(name);
		String written = String.join(".", segments);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String pattern : known) {
			String[] parts = pattern.split("\\.");
			List<String> candidate = new ArrayList<>();
			for (int i = 0; i < parts.length; i++) {
				candidate.add(parts[i].equals("*") ? ((i < segments.size()) ? segments.get(i) : "<id>") : parts[i]);
			}
			String joined = String.join(".", candidate);
			int distance = distance(written, joined);
			if (distance < bestDistance) {
				bestDistance = distance;
				best = joined;
			}
		}
		// a suggestion only when it is plausibly what was meant
		return (best != null && bestDistance <= Math.max(3, written.length() / 8)) ? Optional.of(best)
				: Optional.empty();
	}

	/** Levenshtein distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
