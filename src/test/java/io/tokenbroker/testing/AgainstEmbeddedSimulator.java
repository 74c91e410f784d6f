package io.tokenbroker.testing;

import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.Tag;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.bean.override.convention.TestBean;

import io.tokenbroker.simulator.SimulatedTradovate;

/**
 * Tests of the broker in its embedded default (profile {@code sim}) over real HTTP: the
 * broker and its simulator share one port and one clock that only the tests move.
 * Subclasses add settings with {@code @TestPropertySource}.
 * <p>
 * Test classes with the same settings share one application (Spring's test context
 * cache), on a port of its own chosen when it starts ({@link #PORT} is the one of the
 * running test). Each test class starts on a broker as it is after start:
 * {@link FreshBroker} forgets the sessions, tokens, store, lock-outs, streams and the
 * simulator's state, and the broker logs in anew; {@link FreshBrokerPerTest} does so
 * before each test. Counters (metrics) are not reset: assert what a test counted.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("sim")
@ContextConfiguration(initializers = OwnPort.class)
@TestExecutionListeners(listeners = FreshBroker.class, mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public abstract class AgainstEmbeddedSimulator {

	/**
	 * The port of the application the running test talks to, which its simulator answers
	 * on too: set when an application starts and before each test class and test.
	 */
	protected static volatile int PORT;

	protected static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	@TestBean
	private Clock clock;

	@Autowired
	protected SimulatedTradovate tradovate;

	static Clock clock() {
		return CLOCK;
	}

	/**
	 * How much the counter (or the count of a timer) {@code name} with these labels grew
	 * in {@code scrape} since the broker was last reset for the running test or class
	 * (counters are not reset with it): what a fresh broker would count.
	 */
	protected static double counted(String scrape, String name, String... labels) {
		return Scrapes.growth(FreshBroker.scrapeAtReset(), scrape, name, labels);
	}

	/**
	 * A caller presenting this client key, to the application of the test running when it
	 * sends (so it may be made before the application starts).
	 */
	protected static BrokerCaller caller(String key) {
		return new BrokerCaller(() -> PORT, key);
	}

}
