package io.tokenbroker.testing;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

import io.tokenbroker.caller.CallerResets;
import io.tokenbroker.events.FeedResets;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.RenewalSchedule;
import io.tokenbroker.session.SessionResets;
import io.tokenbroker.session.SessionState;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.store.StoreResets;

import static org.awaitility.Awaitility.await;

/**
 * Brings an application of {@link AgainstEmbeddedSimulator} back to its state after start
 * before each test class (and each test of a {@link FreshBrokerPerTest} class), so that
 * classes with the same settings share one application instead of starting their own:
 * every session forgets its token, state, penalties and waits, the memory store its
 * records and counted calls, the broker its lock-outs, every token stream ends, the
 * simulator forgets its sessions, counters, limits and faults; then the schedule runs
 * again and the broker logs in anew. Between test classes an application's schedule is
 * paused, so that a cached application makes no call while other tests run.
 * <p>
 * The clock is not moved back (it only moves forward, as before), and counters (metrics)
 * are not reset. An application with another store than memory keeps its state: its
 * settings are its test class's own.
 */
public class FreshBroker implements TestExecutionListener, Ordered {

	/** States in which a login failed and waits for a clock only tests move. */
	private static final Set<SessionState> GAVE_UP = EnumSet.of(SessionState.BACKING_OFF, SessionState.PENALIZED,
			SessionState.CAPTCHA_REQUIRED, SessionState.LOCKED_OUT);

	/** The metrics of the application of the running test as it was last reset. */
	private static volatile String scrapeAtReset = "";

	/** After Spring's own listeners have loaded and injected the application. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void beforeTestClass(TestContext test) throws Exception {
		ApplicationContext application = test.getApplicationContext();
		AgainstEmbeddedSimulator.PORT = port(application);
		reset(application);
	}

	@Override
	public void beforeTestMethod(TestContext test) throws Exception {
		ApplicationContext application = test.getApplicationContext();
		AgainstEmbeddedSimulator.PORT = port(application);
		if (test.getTestClass().isAnnotationPresent(FreshBrokerPerTest.class)) {
			reset(application);
		}
	}

	@Override
	public void afterTestClass(TestContext test) {
		if (test.hasApplicationContext()
				&& test.getApplicationContext() instanceof ConfigurableApplicationContext application
				&& application.isActive()) {
			application.getBeanProvider(RenewalSchedule.class).ifAvailable(RenewalSchedule::stop);
		}
	}

	private static int port(ApplicationContext application) {
		return application.getEnvironment().getRequiredProperty("server.port", Integer.class);
	}

	/**
	 * The application as after start, but for its counters and the clock, once every
	 * account logged in anew. A first login that timed out on a loaded machine would wait
	 * for a clock that only tests move: the reset is then done again.
	 */
	static void reset(ApplicationContext application) throws Exception {
		if (!StoreResets.inMemory(application)) {
			return;
		}
		for (int attempt = 1;; attempt++) {
			resetOnce(application);
			Boolean loggedIn = await("every account logged in anew").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> loggedIn(application), (outcome) -> outcome != null);
			if (loggedIn) {
				return;
			}
			if (attempt == 3) {
				throw new IllegalStateException(
						"An account could not log in to the simulator after " + "three resets: see the log");
			}
		}
	}

	/**
	 * Whether every account holds a token; {@code false} when one gave up meanwhile (a
	 * failed call waits for a clock only tests move), {@code null} while a login is in
	 * flight or its token is on its way to the cache (the state says VALID a moment
	 * before the token is cached).
	 */
	private static Boolean loggedIn(ApplicationContext application) {
		boolean all = true;
		for (AccountSession session : application.getBean(AccountSessions.class).all()) {
			if (session.held(Duration.ZERO) == null) {
				if (GAVE_UP.contains(session.snapshot().state())) {
					return false;
				}
				all = false;
			}
		}
		return all ? Boolean.TRUE : null;
	}

	private static void resetOnce(ApplicationContext application) throws Exception {
		RenewalSchedule schedule = application.getBean(RenewalSchedule.class);
		SimulatedTradovate tradovate = application.getBean(SimulatedTradovate.class);
		schedule.stop();
		tradovate.clearFaults();
		FeedResets.reset(application);
		// a call in flight answers within the upstream timeout; until then its session
		// may not forget it
		await("every call to the simulator answered").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> SessionResets.reset(application));
		StoreResets.reset(application);
		CallerResets.reset(application);
		tradovate.reset();
		PrometheusMeterRegistry metrics = application.getBeanProvider(PrometheusMeterRegistry.class).getIfAvailable();
		scrapeAtReset = (metrics != null) ? metrics.scrape() : "";
		schedule.start();
	}

	/**
	 * The Prometheus scrape of the running test's application when it was last reset,
	 * before it logged in anew.
	 */
	static String scrapeAtReset() {
		return scrapeAtReset;
	}

}
