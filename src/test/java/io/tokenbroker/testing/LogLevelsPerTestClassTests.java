package io.tokenbroker.testing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerGroups;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.context.TestContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The levels of one test class's application do not reach the next class in the same JVM,
 * whichever ran first and whether or not its application is cached.
 */
class LogLevelsPerTestClassTests {

	private static final String AUDIT = "io.tokenbroker.testing.levels.audit";

	private static final String SESSION = "io.tokenbroker.testing.levels.session";

	static {
		LoggerFactory.getLogger(AUDIT);
		LoggerFactory.getLogger(SESSION);
	}

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	private final LogLevelsPerTestClass listener = new LogLevelsPerTestClass();

	@AfterEach
	void configuredLevels() {
		this.logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
		this.logging.setLogLevel(AUDIT, null);
		this.logging.setLogLevel(SESSION, null);
	}

	@Test
	void aLevelOneClassNamesIsPutBackForTheNextClassAndAfterIt() {
		TestContext quiet = test("logging.level." + AUDIT, "warn");
		TestContext plain = test();

		this.listener.beforeTestClass(quiet);
		assertThat(configuredLevel(AUDIT)).isEqualTo(LogLevel.WARN);
		this.listener.afterTestClass(quiet);
		assertThat(configuredLevel(AUDIT)).isNull();

		// the application of the quiet class starts again (after a close) while the plain
		// class's cached one is reused: Spring Boot sets the level once more
		this.logging.setLogLevel(AUDIT, LogLevel.WARN);
		this.listener.beforeTestClass(plain);
		assertThat(configuredLevel(AUDIT)).isNull();
		assertThat(effectiveLevel(AUDIT)).isEqualTo(LogLevel.INFO);

		// and the quiet class, on its cached application, is quiet again
		this.listener.afterTestClass(plain);
		this.listener.beforeTestClass(quiet);
		assertThat(configuredLevel(AUDIT)).isEqualTo(LogLevel.WARN);
	}

	@Test
	void theRootLoggerIsAlwaysPutBackEvenIfNoApplicationNamedIt() {
		// an application run inside a test, say with logging.level.root=warn
		this.logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
		this.listener.beforeTestClass(test());
		assertThat(effectiveLevel(AUDIT)).isEqualTo(LogLevel.INFO);

		TestContext tracing = test("logging.level.root", "trace");
		this.listener.beforeTestClass(tracing);
		assertThat(effectiveLevel(AUDIT)).isEqualTo(LogLevel.TRACE);
		this.listener.afterTestClass(tracing);
		assertThat(effectiveLevel(AUDIT)).isEqualTo(LogLevel.INFO);
	}

	@Test
	void aGroupSetsAndPutsBackItsMembers() {
		TestContext grouped = test("logging.level.broker", "debug");
		this.listener.beforeTestClass(grouped);
		assertThat(configuredLevel(AUDIT)).isEqualTo(LogLevel.DEBUG);
		assertThat(configuredLevel(SESSION)).isEqualTo(LogLevel.DEBUG);

		this.listener.afterTestClass(grouped);
		this.listener.beforeTestClass(test());
		assertThat(configuredLevel(AUDIT)).isNull();
		assertThat(configuredLevel(SESSION)).isNull();
	}

	private LogLevel configuredLevel(String logger) {
		return this.logging.getLoggerConfiguration(logger).getConfiguredLevel();
	}

	private LogLevel effectiveLevel(String logger) {
		return this.logging.getLoggerConfiguration(logger).getEffectiveLevel();
	}

	/** A test class whose application has these settings, as Spring Boot starts it. */
	private TestContext test(String... settings) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i < settings.length; i += 2) {
			environment.setProperty(settings[i], settings[i + 1]);
		}
		GenericApplicationContext application = new GenericApplicationContext();
		application.setEnvironment(environment);
		application.registerBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME, LoggingSystem.class,
				() -> this.logging);
		application.registerBean(LoggingApplicationListener.LOGGER_GROUPS_BEAN_NAME, LoggerGroups.class,
				() -> new LoggerGroups(Map.of("broker", List.of(AUDIT, SESSION))));
		application.refresh();
		TestContext test = mock(TestContext.class);
		given(test.getApplicationContext()).willReturn(application);
		given(test.hasApplicationContext()).willReturn(true);
		return test;
	}

}
