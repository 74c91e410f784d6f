package io.tokenbroker.account;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Start-up stopped by settings: one line per problem, naming the setting, its environment
 * variable and its {@code configtree} file, and what is wrong. Never a value: a password,
 * an API secret or a key pasted where a digest belongs are not printed (Spring Boot's own
 * report would print them). Every problem of the broker's settings is listed, not only
 * those of the first feature whose settings were found wrong.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingsFailureAnalyzer implements FailureAnalyzer {

	/** A map key in brackets, or a name between dots. */
	private static final Pattern SEGMENT = Pattern.compile("\\[([^]]+)]|([^.\\[]+)");

	/** What a report of invalid settings starts with, before its lines. */
	static final String INVALID = "Invalid settings:\n";

	static final String ACTION = "Fix the settings above: in application.yml, as environment variables, or as "
			+ "files under a directory imported with spring.config.import=configtree:<directory>/.";

	private final Environment environment;

	/**
	 * @param environment the settings of the start that failed, to list every problem of
	 * the broker's settings; {@code null} when start-up stopped before there were any
	 */
	public SettingsFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	/** Lists the problems of the failed binding only. */
	SettingsFailureAnalyzer() {
		this(null);
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		SettingsException settings = cause(failure, SettingsException.class);
		if (settings != null) {
			return new FailureAnalysis(settings.getMessage(), settings.action(), settings);
		}
		List<String> lines = lines(failure);
		if (lines.isEmpty()) {
			return null;
		}
		BindValidationException validation = cause(failure, BindValidationException.class);
		BindException bind = cause(failure, BindException.class);
		String failed = ((validation != null) ? validation.getValidationErrors().getName() : bind.getName()).toString();
		Set<String> problems = new LinkedHashSet<>(lines);
		if (failed.startsWith("broker") && this.environment instanceof ConfigurableEnvironment settingsOfTheStart) {
			// the broker's settings are bound one feature at a time, and the first that
			// fails stops start-up: the others' problems belong in the same report
			try {
				problems.addAll(new SettingsReader().problems(settingsOfTheStart));
			}
			catch (RuntimeException ex) {
				// the report keeps the problem start-up stopped on
			}
		}
		return new FailureAnalysis(INVALID + String.join("\n", problems), ACTION,
				(validation != null) ? validation : bind);
	}

	/**
	 * One line per problem of a failed binding of {@code broker.*} settings: each failed
	 * constraint of the settings record, or the setting that cannot be read as its type
	 * (or, for a duration without its unit, that); none for anything else.
	 */
	static List<String> lines(Throwable failure) {
		SettingsException settings = cause(failure, SettingsException.class);
		if (settings != null) {
			return settings.getMessage().startsWith(INVALID)
					? List.of(settings.getMessage().substring(INVALID.length()).split("\n")) : List.of();
		}
		BindValidationException validation = cause(failure, BindValidationException.class);
		if (validation != null) {
			List<String> lines = new ArrayList<>();
			String prefix = validation.getValidationErrors().getName().toString();
			for (ObjectError error : validation.getValidationErrors()) {
				lines.add(line(prefix, error));
			}
			return lines;
		}
		BindException bind = cause(failure, BindException.class);
		if (bind != null && bind.getName().toString().startsWith("broker")) {
			return List.of(" - " + named(bind.getName().toString())
					+ ": cannot be read as the kind of value it takes (value not shown)");
		}
		return List.of();
	}

	private static String line(String prefix, ObjectError error) {
		if (!(error instanceof FieldError field)) {
			return " - " + error.getDefaultMessage();
		}
		if ("AssertTrue".equals(error.getCode())) {
			// a rule across settings, whose message names them; within an account or a
			// client, which one
			int last = field.getField().lastIndexOf('.');
			return " - " + ((last > 0) ? property(prefix + "." + field.getField().substring(0, last)) + ": " : "")
					+ error.getDefaultMessage();
		}
		return " - " + named(prefix + "." + field.getField()) + ": " + field.getDefaultMessage();
	}

	/**
	 * The setting as written in a properties file: {@code broker.accounts.main.app-id}.
	 */
	static String property(String path) {
		List<String> segments = new ArrayList<>();
		Matcher parts = SEGMENT.matcher(path);
		while (parts.find()) {
			if (parts.group(1) == null) {
				segments.add(parts.group(2).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
			}
			else if (!parts.group(1).matches("\\d+")) {
				// a map key (an account or client id) keeps its spelling; a list index
				// goes
				segments.add(parts.group(1));
			}
		}
		return String.join(".", segments);
	}

	/**
	 * A setting with the names it can be given: {@code broker.accounts.main.password}
	 * (environment variable {@code BROKER_ACCOUNTS_MAIN_PASSWORD}, configtree file
	 * {@code broker.accounts.main.password}).
	 */
	static String named(String path) {
		String property = property(path);
		String variable = variable(path);
		String names = (variable != null) ? "environment variable " + variable + ", "
				: "no environment variable for an id with a dash or capitals, ";
		return property + " (" + names + "configtree file " + property + ")";
	}

	/**
	 * The environment variable that sets a setting
	 * ({@code BROKER_ACCOUNTS_MAIN_PASSWORD}), or {@code null} when a map key in it has a
	 * dash or capitals.
	 */
	static String variable(String path) {
		boolean variable = SEGMENT.matcher(path)
			.results()
			.allMatch((part) -> part.group(1) == null || part.group(1).matches("[a-z0-9]+"));
		return variable ? property(path).replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT) : null;
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return null;
	}

}
