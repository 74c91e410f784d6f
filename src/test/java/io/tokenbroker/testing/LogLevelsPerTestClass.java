package io.tokenbroker.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerGroup;
import org.springframework.boot.logging.LoggerGroups;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Gives each Spring test class the logger levels its own application's settings name
 * ({@code logging.level.*}), and no other class's.
 * <p>
 * Spring Boot sets those levels when an application starts, on the one logging system of
 * the JVM, and never takes them back: a level one test class sets (say
 * {@code logging.level.io.tokenbroker.audit=warn}) would stay in force for every class
 * run after it in the same JVM, on its own application or on a cached one started
 * earlier, until the closing of some application happens to make the next one configure
 * the logging system afresh. Which classes share a JVM and in which order depends on
 * Surefire's forks and run order, so assertions on log lines would pass or fail by it.
 * <p>
 * Before each test class (once its application is loaded, before {@link FreshBroker}
 * resets it), this listener sets the levels the class's application names, the root
 * logger's always (an application run inside a test may leave it changed), and puts back
 * the levels of the loggers an earlier class named and this one does not; after the class
 * it puts them all back, so that tests without an application see the configured levels
 * too. A test that changes a level itself puts it back itself.
 * <p>
 * "Put back" means: as Spring Boot's own logging configuration leaves them, which the
 * broker uses (it ships no Logback file): the root logger at INFO, every other logger
 * inheriting its level.
 */
public class LogLevelsPerTestClass implements TestExecutionListener, Ordered {

	/** The root logger's level in Spring Boot's own logging configuration. */
	private static final LogLevel CONFIGURED_ROOT_LEVEL = LogLevel.INFO;

	/**
	 * Every logger a test application has named so far in this JVM, the root logger
	 * first.
	 */
	private static final Set<String> named = new LinkedHashSet<>(List.of(LoggingSystem.ROOT_LOGGER_NAME));

	/** The logging system a test application last used (there is one per JVM). */
	private static LoggingSystem loggingSystem;

	/**
	 * After Spring's own listeners have loaded the application, before FreshBroker resets
	 * it.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 200;
	}

	@Override
	public void beforeTestClass(TestContext test) {
		ApplicationContext application = test.getApplicationContext();
		if (!application.containsBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME)) {
			return;
		}
		LoggingSystem logging = application.getBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME,
				LoggingSystem.class);
		assertBootsOwnConfiguration(application);
		Map<String, LogLevel> levels = levels(application);
		synchronized (named) {
			named.addAll(levels.keySet());
			for (String logger : named) {
				logging.setLogLevel(logger, levels.containsKey(logger) ? levels.get(logger) : configured(logger));
			}
			loggingSystem = logging;
		}
	}

	@Override
	public void afterTestClass(TestContext test) {
		synchronized (named) {
			if (loggingSystem != null) {
				named.forEach((logger) -> loggingSystem.setLogLevel(logger, configured(logger)));
			}
		}
	}

	/** The levels put back are those of Spring Boot's own configuration. */
	private static void assertBootsOwnConfiguration(ApplicationContext application) {
		List<String> own = Stream.of("logback-spring.xml", "logback.xml", "logback-test.xml")
			.filter((file) -> LogLevelsPerTestClass.class.getClassLoader().getResource(file) != null)
			.collect(Collectors.toCollection(ArrayList::new));
		if (application.getEnvironment().containsProperty(LoggingApplicationListener.CONFIG_PROPERTY)) {
			own.add(LoggingApplicationListener.CONFIG_PROPERTY);
		}
		if (!own.isEmpty()) {
			throw new IllegalStateException("A logging configuration of the project's own (" + own + "): teach "
					+ LogLevelsPerTestClass.class.getSimpleName() + " the levels it gives");
		}
	}

	private static LogLevel configured(String logger) {
		return isRoot(logger) ? CONFIGURED_ROOT_LEVEL : null;
	}

	private static boolean isRoot(String logger) {
		return LoggingSystem.ROOT_LOGGER_NAME.equalsIgnoreCase(logger);
	}

	/**
	 * The levels the application's settings name, by logger (groups as their members), as
	 * Spring Boot read them when it started.
	 */
	static Map<String, LogLevel> levels(ApplicationContext application) {
		LoggerGroups groups = application.containsBean(LoggingApplicationListener.LOGGER_GROUPS_BEAN_NAME)
				? application.getBean(LoggingApplicationListener.LOGGER_GROUPS_BEAN_NAME, LoggerGroups.class)
				: new LoggerGroups();
		Map<String, LogLevel> levels = new LinkedHashMap<>();
		Binder.get(application.getEnvironment())
			.bind("logging.level", Bindable.mapOf(String.class, LogLevel.class))
			.orElseGet(Map::of)
			.forEach((name, level) -> {
				LoggerGroup group = groups.get(name);
				List<String> loggers = (group != null) ? group.getMembers() : List.of(name);
				loggers
					.forEach((logger) -> levels.put(isRoot(logger) ? LoggingSystem.ROOT_LOGGER_NAME : logger, level));
			});
		return levels;
	}

}
