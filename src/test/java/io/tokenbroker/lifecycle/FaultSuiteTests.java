package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.SessionState;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of Tradovate, the network and the clock, end to end through the simulator's
 * fault controls, with 60-second tokens (served for 55 s, renewed 41 s after they are
 * issued): a real timeout (1 s, the longest wait of the suite), a connection cut
 * mid-body, a penalty ticket, and sessions closed or lost under a clock that jumps. What
 * must hold, asserted in each: while Tradovate would accept the token, every
 * {@code GET /token} gets it; once the fault ends, a token is served again within one
 * back-off period, with at most one new session; a closed session is replaced within one
 * liveness interval. What the session decides for every other answer (5xx, HTML,
 * malformed JSON, captcha, lock-out, shorter or too short tokens, a clock that jumps
 * ahead) is a row of {@code SessionDecisionTableTests}.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.retry.initial-back-off=1s", "broker.retry.max-back-off=4s",
		"broker.retry.cool-down=30s", "broker.upstream.timeout=1s", "broker.upstream.connect-timeout=1s",
		"broker.liveness.check-interval=20s", "broker.wait-for-token=3s" })
@FreshBrokerPerTest
class FaultSuiteTests extends AgainstEmbeddedSimulator {

	private static final Logger log = LoggerFactory.getLogger(FaultSuiteTests.class);

	/** Half again the upstream timeout, which each slow call waits out in real time. */
	private static final Duration SLOWER_THAN_THE_TIMEOUT = Duration.ofMillis(1500);

	/** The longest time, on the broker's clock, that a dead token was served. */
	private static Duration longestDeadTokenServed = Duration.ZERO;

	/** The check interval, plus the check and the login themselves. */
	private static final Duration ONE_CHECK_INTERVAL = Duration.ofSeconds(22);

	private final BrokerCaller caller = caller("sim-demo-key");

	@Autowired
	private AccountSessions sessions;

	private String first;

	@BeforeEach
	void firstToken() {
		this.first = awaitToken();
	}

	@AfterAll
	static void report() {
		log.info("Fault suite: the longest time a dead token was served was {} ms (broker clock)",
				longestDeadTokenServed.toMillis());
	}

	private String awaitToken() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.caller.get("/token").statusCode() == 200);
		return token();
	}

	private String token() {
		HttpResponse<String> response = this.caller.get("/token");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return BrokerCaller.body(response).get("accessToken").stringValue();
	}

	/**
	 * Moves the clock in steps; after each, does at once what the schedule's next tick
	 * would, then waits until no call to Tradovate is in flight, so that timeouts (real
	 * time) run their course.
	 */
	private void pass(Duration time, Duration step) {
		AccountSession session = this.sessions.find("sim").orElseThrow();
		for (Duration passed = Duration.ZERO; passed.compareTo(time) < 0; passed = passed.plus(step)) {
			CLOCK.advance(step);
			session.maintain();
			await().atMost(Duration.ofSeconds(10))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> idle(session));
		}
	}

	private static boolean idle(AccountSession session) {
		SessionState state = session.snapshot().state();
		return state != SessionState.LOGGING_IN && state != SessionState.RENEWING && state != SessionState.CHECKING;
	}

	static Stream<Arguments> renewalFaults() {
		return Stream.of(Arguments.of("slow beyond the timeout", Fault.delay(SLOWER_THAN_THE_TIMEOUT)),
				Arguments.of("connection closed mid-body", Fault.partialBody()),
				Arguments.of("penalty ticket", Fault.penalty(Duration.ofSeconds(2), false)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("renewalFaults")
	void aFailingRenewalKeepsTheTokenServedAndEndsInARenewalOnTheSameSession(String name, Fault fault) {
		this.tradovate.stick(AuthOperation.RENEW, fault);
		pass(Duration.ofSeconds(41), Duration.ofSeconds(1));
		await().until(() -> this.tradovate.stats().renewalCalls() >= 1);

		// Tradovate accepts the token until it expires (59 s on the broker's clock,
		// served
		// until 54 s): every caller gets it
		for (int second = 41; second < 50; second++) {
			assertThat(token()).as("at %d s", second).isEqualTo(this.first);
			pass(Duration.ofSeconds(1), Duration.ofMillis(250));
		}
		long failedRenewals = this.tradovate.stats().renewalCalls();
		assertThat(failedRenewals).as("retried before the token lapses").isGreaterThanOrEqualTo(2);
		this.tradovate.clearFaults();
		for (int step = 0; step < 12 && token().equals(this.first); step++) {
			pass(Duration.ofMillis(250), Duration.ofMillis(250));
		}

		assertThat(token()).as("renewed within one back-off").isNotEqualTo(this.first);
		SimulatorStats stats = this.tradovate.stats();
		assertThat(stats.loginCalls()).as("no new session").isEqualTo(1);
		assertThat(stats.sessionsEvicted()).isZero();
		assertThat(stats.penaltiesIssued()).isEqualTo(fault.kind() == Fault.Kind.PENALTY ? stats.faultsInjected() : 0);
	}

	@Test
	void aLoginSlowerThanTheTimeoutIsRetriedWithinTheBackOff() {
		this.tradovate.stick(AuthOperation.LOGIN, Fault.delay(SLOWER_THAN_THE_TIMEOUT));
		this.tradovate.closeSessions("sim-user");
		reportRefused(this.first);
		await().until(() -> this.tradovate.stats().loginCalls() >= 2);

		this.tradovate.clearFaults();
		pass(Duration.ofSeconds(4), Duration.ofMillis(250));

		String after = awaitToken();
		assertThat(after).isNotEqualTo(this.first);
		SimulatorStats stats = this.tradovate.stats();
		// a login that timed out may have opened a session at Tradovate all the same
		assertThat(stats.successfulLogins()).isEqualTo(3);
		assertThat(stats.failedLogins()).isZero();
		assertThat(stats.penaltiesIssued()).isZero();
		assertThat(stats.sessionsEvicted()).isZero();
	}

	@Test
	void aSessionClosedFromElsewhereIsReplacedWithinOneLivenessInterval() {
		this.tradovate.openSession("sim-user");
		this.tradovate.openSession("sim-user");

		Duration served = deadTokenServed();

		assertThat(served).isLessThanOrEqualTo(ONE_CHECK_INTERVAL);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
	}

	@Test
	void aSimulatorThatLostEverySessionIsReplacedWithinOneLivenessInterval() {
		this.tradovate.reset();

		Duration served = deadTokenServed();

		assertThat(served).isLessThanOrEqualTo(ONE_CHECK_INTERVAL);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(1);
	}

	@Test
	void aBrokerClockThatJumpsBackIsCaughtByTheLivenessCheck() {
		// the simulator's clock runs an hour ahead: the broker's token is long dead there
		this.tradovate.setClockOffset(Duration.ofHours(1));

		Duration served = deadTokenServed();

		assertThat(served).isLessThanOrEqualTo(ONE_CHECK_INTERVAL);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
	}

	private void reportRefused(String token) {
		this.caller.post("/token/refused", "text/plain", token);
	}

	/**
	 * Moves the clock second by second until the broker serves a token other than the
	 * dead one, and returns how long (on its clock) it kept serving the dead one.
	 */
	private Duration deadTokenServed() {
		Duration served = Duration.ZERO;
		while (token().equals(this.first)) {
			assertThat(served).as("dead token still served").isLessThan(Duration.ofMinutes(2));
			pass(Duration.ofSeconds(1), Duration.ofMillis(250));
			served = served.plusSeconds(1);
		}
		synchronized (FaultSuiteTests.class) {
			if (served.compareTo(longestDeadTokenServed) > 0) {
				longestDeadTokenServed = served;
			}
		}
		return served;
	}

}
