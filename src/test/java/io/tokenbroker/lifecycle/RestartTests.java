package io.tokenbroker.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.SessionState;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The broker restarted on its default file store, against a standalone simulator that
 * outlives it: a restart costs no session with a store key, and no restart ever resets
 * Tradovate's limits or waits.
 */
@Tag("application")
class RestartTests {

	/** A store key for tests: the Base64 of 32 bytes. */
	static final String STORE_KEY = "q2lqS1pDN3JjdUxNMkZqT3ZTWWNhZ3lSSzdyQk5vcXk=";

	/** Moved by the tests, forward only: each starts where the last left it. */
	private static final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	/** One simulator for the class, reset before each test. */
	private static Started simulator;

	private static SimulatedTradovate tradovate;

	@TempDir
	Path state;

	@BeforeAll
	static void startSimulator() {
		List<String> properties = new ArrayList<>(List.of("simulator.token-lifetime=60m"));
		properties.addAll(user("alice"));
		properties.addAll(user("bob"));
		simulator = Brokers.simulator(clock, properties.toArray(String[]::new));
		tradovate = simulator.bean(SimulatedTradovate.class);
	}

	@AfterAll
	static void stopSimulator() {
		simulator.close();
	}

	@BeforeEach
	void resetSimulator() {
		tradovate.reset();
	}

	private static List<String> user(String name) {
		String prefix = "simulator.users." + name + ".";
		return List.of(prefix + "password=sim-password", prefix + "app-id=sim-app", prefix + "cid=1",
				prefix + "secret=sim-secret");
	}

	private Started broker(List<String> accounts, String... properties) {
		List<String> all = new ArrayList<>(List.of("broker.store.type=file", "broker.store.path=" + this.state,
				"broker.renewal.check-interval=20ms"));
		all.addAll(List.of(properties));
		return Brokers.broker(clock, simulator.port(), accounts, all.toArray(String[]::new));
	}

	private static SessionState state(Started broker, String account) {
		return broker.bean(AccountSessions.class).find(account).orElseThrow().snapshot().state();
	}

	@Test
	void aRestartWithAStoreKeyServesTheStoredTokenAtOnceAndOpensNoSession() {
		String first;
		try (Started broker = broker(List.of("alice"), "broker.store.keys.k1=" + STORE_KEY)) {
			await().until(() -> broker.caller().get("/token").statusCode() == 200);
			first = broker.caller().token("/token").get("accessToken").stringValue();
		}

		try (Started restarted = broker(List.of("alice"), "broker.store.keys.k1=" + STORE_KEY)) {
			assertThat(restarted.caller().get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(restarted.caller().token("/token").get("accessToken").stringValue()).isEqualTo(first);
		}
		SimulatorStats stats = tradovate.stats();
		assertThat(stats.loginCalls()).isEqualTo(1);
		assertThat(stats.activeSessions()).containsEntry("alice", 1);
	}

	@Test
	void withoutAStoreKeyARestartLogsInAgainButKeepsTheHourlyBudget() {
		tradovate.enqueue(AuthOperation.LOGIN, Fault.status(503));
		try (Started broker = broker(List.of("alice"), "broker.retry.initial-back-off=1s")) {
			await().until(() -> state(broker, "alice") == SessionState.BACKING_OFF);
			clock.advance(Duration.ofSeconds(2));
			await().until(() -> broker.caller().get("/token").statusCode() == 200);
		}

		try (Started restarted = broker(List.of("alice"))) {
			await().until(() -> restarted.caller().get("/token").statusCode() == 200);
			String budget = restarted.caller().get("/actuator/tokens").body();
			assertThat(budget).contains("\"failedLogins\":{\"used\":1");
		}
		assertThat(tradovate.stats().successfulLogins()).isEqualTo(2);
	}

	@Test
	void aCrashLoopWithAWrongPasswordStaysWithinTradovatesLimitsAndSparesTheOtherAccount() {
		for (int restart = 0; restart < 8; restart++) {
			try (Started broker = broker(List.of("alice", "bob"), "broker.store.keys.k1=" + STORE_KEY,
					"broker.accounts.alice.password=wrong")) {
				await().until(() -> state(broker, "alice") == SessionState.REJECTED);
				await().until(() -> broker.caller().get("/token/bob").statusCode() == 200);
			}
			clock.advance(Duration.ofSeconds(30));
		}

		SimulatorStats stats = tradovate.stats();
		assertThat(stats.failedLogins()).isEqualTo(1);
		assertThat(stats.penaltiesIssued()).isZero();
		assertThat(stats.captchasIssued()).isZero();
		assertThat(stats.successfulLogins()).isEqualTo(1);
	}

	@Test
	void fixedCredentialsEndTheCoolDownOfRefusedOnes() {
		try (Started broker = broker(List.of("alice"), "broker.accounts.alice.password=wrong")) {
			await().until(() -> state(broker, "alice") == SessionState.REJECTED);
		}

		try (Started fixed = broker(List.of("alice"))) {
			await().until(() -> fixed.caller().get("/token").statusCode() == 200);
		}
		assertThat(tradovate.stats().loginCalls()).isEqualTo(2);
	}

	@Test
	void aRestartDuringACaptchaCoolDownMakesNoCallUntilItEnds() {
		tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofMinutes(60), true));
		try (Started broker = broker(List.of("alice"))) {
			await().until(() -> state(broker, "alice") == SessionState.CAPTCHA_REQUIRED);
		}

		try (Started restarted = broker(List.of("alice"))) {
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> tradovate.stats().loginCalls() == 1);
			assertThat(restarted.caller().get("/token").statusCode()).isEqualTo(503);
			clock.advance(Duration.ofMinutes(60));
			await().until(() -> restarted.caller().get("/token").statusCode() == 200);
		}
		assertThat(tradovate.stats().loginCalls()).isEqualTo(2);
	}

	@Test
	void twoBrokersNeverShareOneStateDirectory() {
		try (Started first = broker(List.of("alice"))) {
			assertThatException().isThrownBy(() -> broker(List.of("alice")))
				.withStackTraceContaining("is in use by another broker");
		}
	}

}
