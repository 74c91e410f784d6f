package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.testing.MutableClock;

import static io.tokenbroker.simulator.TestSimulators.loginBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SimulatedTradovate}: the simulated auth rules, driven by a clock the
 * tests move.
 */
class SimulatedTradovateTests {

	private static final Instant START = Instant.parse("2026-01-15T09:30:00.123Z");

	private static final String IP = "10.0.0.1";

	private static final String OTHER_IP = "10.0.1.2";

	private MutableClock clock;

	private SimulatedTradovate tradovate;

	@BeforeEach
	void setUp() {
		this.clock = new MutableClock(START);
		this.tradovate = simulator(Map.of());
	}

	private SimulatedTradovate simulator(Map<String, String> properties) {
		return TestSimulators.simulator(this.clock, properties);
	}

	private static SimulatedReply login(SimulatedTradovate tradovate, String body) {
		return login(tradovate, body, IP);
	}

	private static SimulatedReply login(SimulatedTradovate tradovate, String body, String ip) {
		return tradovate.login(body.getBytes(StandardCharsets.UTF_8), ip);
	}

	private static String goodLogin() {
		return loginBody("sim-user", "sim-password");
	}

	private static String badLogin() {
		return loginBody("sim-user", "wrong-password");
	}

	private String accessToken(SimulatedReply reply) {
		assertThat(reply.status()).isEqualTo(200);
		JsonNode json = reply.json();
		assertThat(json.has("errorText")).as("errorText in %s", reply.body()).isFalse();
		return json.get("accessToken").asString();
	}

	private static String bearer(String token) {
		return "Bearer " + token;
	}

	@Nested
	class Login {

		@Test
		void succeedsWithTheDefaultUser() {
			SimulatedReply reply = login(SimulatedTradovateTests.this.tradovate, goodLogin());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.contentType()).isEqualTo("application/json");
			assertThat(reply.delay()).isZero();
			JsonNode json = reply.json();
			assertThat(json.get("accessToken").asString()).hasSizeGreaterThanOrEqualTo(100).matches("[A-Za-z0-9_-]+");
			assertThat(json.get("mdAccessToken").asString()).hasSizeGreaterThanOrEqualTo(100)
				.isNotEqualTo(json.get("accessToken").asString());
			assertThat(json.get("expirationTime").asString()).isEqualTo("2026-01-15T10:50:00.123Z");
			assertThat(Instant.parse(json.get("passwordExpirationTime").asString()))
				.isAfter(START.plus(Duration.ofDays(365)));
			assertThat(json.get("userStatus").asString()).isEqualTo("Active");
			assertThat(json.get("userId").asLong()).isEqualTo(SimulatedUser.deriveUserId("sim-user"));
			assertThat(json.get("name").asString()).isEqualTo("sim-user");
			assertThat(json.get("hasLive").asBoolean()).isFalse();
			// Undocumented fields real responses carry: clients must ignore them.
			assertThat(json.has("hasFunded")).isTrue();
			assertThat(json.has("hasMarketData")).isTrue();
			assertThat(json.has("outdatedTaC")).isTrue();
			assertThat(json.has("hibpHint")).isTrue();
			assertThat(SimulatedTradovateTests.this.tradovate.activeSessions("sim-user")).isOne();
		}

		@Test
		void succeedsWithAConfiguredUserAndNumericStringCid() {
			SimulatedTradovate tradovate = simulator(
					Map.of("simulator.users.alice.password", "pw", "simulator.users.alice.app-id", "app",
							"simulator.users.alice.cid", "42", "simulator.users.alice.secret", "s3",
							"simulator.users.alice.user-id", "777", "simulator.users.alice.has-live", "true"));

			JsonNode json = login(tradovate, loginBody("alice", "pw", "app", "\"42\"", "s3", null)).json();

			assertThat(json.get("userId").asLong()).isEqualTo(777);
			assertThat(json.get("hasLive").asBoolean()).isTrue();
			// Once users are configured, the default user is gone.
			assertThat(login(tradovate, goodLogin()).json().get("errorText").asString())
				.isEqualTo(SimulatedTradovate.WRONG_CREDENTIALS);
		}

		@Test
		void expirationTimeCanOmitMilliseconds() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.expiration-time-with-millis", "false"));

			assertThat(login(tradovate, goodLogin()).json().get("expirationTime").asString())
				.isEqualTo("2026-01-15T10:50:00Z");
		}

		@Test
		void wrongCredentialsAnswer200WithErrorTextByDefault() {
			for (String body : new String[] { badLogin(), loginBody("nobody", "sim-password"),
					loginBody("sim-user", "sim-password", "other-app", "1", "sim-secret", null),
					loginBody("sim-user", "sim-password", "sim-app", "2", "sim-secret", null),
					loginBody("sim-user", "sim-password", "sim-app", "1", "other-secret", null) }) {
				SimulatedReply reply = login(SimulatedTradovateTests.this.tradovate, body);

				assertThat(reply.status()).isEqualTo(200);
				assertThat(reply.json().get("errorText").asString())
					.isEqualTo("Incorrect username or password. Please try again.");
				assertThat(reply.json().has("accessToken")).isFalse();
			}
			SimulatorStats stats = SimulatedTradovateTests.this.tradovate.stats();
			assertThat(stats.failedLogins()).isEqualTo(5);
			assertThat(stats.successfulLogins()).isZero();
			assertThat(stats.activeSessions()).isEmpty();
		}

		@Test
		void wrongCredentialsCanAnswer401() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.wrong-credentials-status", "401"));

			SimulatedReply reply = login(tradovate, badLogin());

			assertThat(reply.status()).isEqualTo(401);
			assertThat(reply.json().get("errorText").asString()).isEqualTo(SimulatedTradovate.WRONG_CREDENTIALS);
			assertThat(tradovate.stats().failedLogins()).isOne();
		}

		@Test
		void missingOrTooLongFieldsAnswerErrorTextWithoutEchoingSecrets() {
			SimulatedReply missing = login(SimulatedTradovateTests.this.tradovate,
					"{\"name\":\"sim-user\",\"password\":\"sim-password\",\"appId\":\"sim-app\",\"appVersion\":\"1\",\"cid\":1}");
			SimulatedReply tooLong = login(SimulatedTradovateTests.this.tradovate,
					loginBody("sim-user", "p".repeat(65)));
			SimulatedReply badCid = login(SimulatedTradovateTests.this.tradovate,
					loginBody("sim-user", "sim-password", "sim-app", "\"one\"", "sim-secret", null));

			assertThat(missing.status()).isEqualTo(200);
			assertThat(missing.json().get("errorText").asString()).isEqualTo("sec is required");
			assertThat(tooLong.json().get("errorText").asString()).isEqualTo("password must be at most 64 characters")
				.doesNotContain("ppp");
			assertThat(badCid.json().get("errorText").asString()).isEqualTo("cid must be a number");
			assertThat(SimulatedTradovateTests.this.tradovate.stats().failedLogins()).isEqualTo(3);
		}

		@Test
		void malformedJsonAnswers400() {
			SimulatedReply reply = login(SimulatedTradovateTests.this.tradovate,
					"{\"name\":\"sim-user\",\"password\":\"se");

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.json().get("errorText").asString()).isEqualTo("Malformed JSON request body");
			assertThat(reply.body()).doesNotContain("se\"");
			assertThat(login(SimulatedTradovateTests.this.tradovate, "").status()).isEqualTo(400);
			assertThat(login(SimulatedTradovateTests.this.tradovate, "[1,2]").status()).isEqualTo(400);
			// Not a failed login in Tradovate's sense: the request was never read.
			assertThat(SimulatedTradovateTests.this.tradovate.stats().failedLogins()).isZero();
			assertThat(SimulatedTradovateTests.this.tradovate.stats().loginCalls()).isEqualTo(3);
		}

	}

	@Nested
	class Sessions {

		@Test
		void aThirdLoginClosesTheOldestSession() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String first = accessToken(login(tradovate, goodLogin()));
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(1));
			String second = accessToken(login(tradovate, goodLogin()));
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(1));
			String third = accessToken(login(tradovate, goodLogin()));

			assertThat(tradovate.renew(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer(second), IP).status()).isEqualTo(200);
			assertThat(tradovate.me(bearer(third), IP).status()).isEqualTo(200);
			SimulatorStats stats = tradovate.stats();
			assertThat(stats.activeSessions("sim-user")).isEqualTo(2);
			assertThat(stats.sessionsEvicted()).isOne();
			assertThat(stats.successfulLogins()).isEqualTo(3);
		}

		@Test
		void theSessionCapIsConfigurable() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.max-sessions-per-user", "1"));
			String first = accessToken(login(tradovate, goodLogin()));
			accessToken(login(tradovate, goodLogin()));

			assertThat(tradovate.me(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.activeSessions("sim-user")).isOne();
		}

		@Test
		void aRenewedSessionIsStillClosedByLaterLogins() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String first = accessToken(login(tradovate, goodLogin()));
			String renewed = accessToken(tradovate.renew(bearer(first), IP));
			accessToken(login(tradovate, goodLogin()));
			accessToken(login(tradovate, goodLogin()));

			assertThat(tradovate.renew(bearer(renewed), IP).status()).isEqualTo(401);
		}

		@Test
		void openSessionFromElsewhereKicksOutTheOldestSession() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String mine = accessToken(login(tradovate, goodLogin()));
			String elsewhere = tradovate.openSession("sim-user");
			tradovate.openSession("sim-user");

			assertThat(tradovate.me(bearer(mine), IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer(elsewhere), IP).status()).isEqualTo(200);
			assertThat(tradovate.stats().successfulLogins()).isOne();
			assertThatIllegalArgumentException().isThrownBy(() -> tradovate.openSession("nobody"));
		}

		@Test
		void closeSessionsKillsEveryTokenOfTheUser() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));

			assertThat(tradovate.closeSessions("sim-user")).isOne();
			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(401);
			assertThat(tradovate.activeSessions("sim-user")).isZero();
		}

		@Test
		void expiredSessionsDoNotCountAgainstTheCap() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			accessToken(login(tradovate, goodLogin()));
			String second = accessToken(login(tradovate, goodLogin()));
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(79));
			String renewed = accessToken(tradovate.renew(bearer(second), IP));
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(2));

			assertThat(tradovate.activeSessions("sim-user")).isOne();
			accessToken(login(tradovate, goodLogin()));
			assertThat(tradovate.me(bearer(renewed), IP).status()).isEqualTo(200);
			assertThat(tradovate.stats().sessionsEvicted()).isZero();
		}

	}

	@Nested
	class Renewal {

		@Test
		void issuesANewTokenWithLaterExpiryInTheSameSession() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			SimulatedReply first = login(tradovate, goodLogin());
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(70));

			SimulatedReply renewal = tradovate.renew(bearer(accessToken(first)), IP);

			assertThat(renewal.status()).isEqualTo(200);
			JsonNode json = renewal.json();
			assertThat(json.get("accessToken").asString()).isNotEqualTo(accessToken(first)).hasSize(128);
			assertThat(json.get("expirationTime").asString()).isEqualTo("2026-01-15T12:00:00.123Z");
			assertThat(Instant.parse(json.get("expirationTime").asString()))
				.isAfter(Instant.parse(first.json().get("expirationTime").asString()));
			assertThat(json.get("userId").asLong()).isEqualTo(first.json().get("userId").asLong());
			// By default the field is absent: clients keep the mdAccessToken they have.
			assertThat(json.has("mdAccessToken")).isFalse();
			SimulatorStats stats = tradovate.stats();
			assertThat(stats.activeSessions("sim-user")).isOne();
			assertThat(stats.successfulLogins()).isOne();
			assertThat(stats.successfulRenewals()).isOne();
			assertThat(stats.renewalCalls()).isOne();
		}

		@Test
		void keepsThePreviousTokenValidUntilItsExpiryByDefault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String first = accessToken(login(tradovate, goodLogin()));
			String second = accessToken(tradovate.renew(bearer(first), IP));

			assertThat(tradovate.me(bearer(first), IP).status()).isEqualTo(200);
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(80));
			assertThat(tradovate.me(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer(second), IP).status()).isEqualTo(401);
		}

		@Test
		void canRevokeThePreviousToken() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.renewal-revokes-previous-token", "true"));
			String first = accessToken(login(tradovate, goodLogin()));
			String second = accessToken(tradovate.renew(bearer(first), IP));

			assertThat(tradovate.me(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.renew(bearer(first), IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer(second), IP).status()).isEqualTo(200);
		}

		@Test
		void canReturnAFreshMdToken() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.renewal-returns-md-token", "true"));
			SimulatedReply first = login(tradovate, goodLogin());

			JsonNode renewal = tradovate.renew(bearer(accessToken(first)), IP).json();

			assertThat(renewal.get("mdAccessToken").asString()).hasSize(128)
				.isNotEqualTo(first.json().get("mdAccessToken").asString());
		}

		@Test
		void refusesExpiredUnknownAndMissingTokens() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(80));

			SimulatedReply expired = tradovate.renew(bearer(token), IP);

			assertThat(expired.status()).isEqualTo(401);
			assertThat(expired.body()).isEmpty();
			assertThat(tradovate.renew(bearer("unknown"), IP).status()).isEqualTo(401);
			assertThat(tradovate.renew(null, IP).status()).isEqualTo(401);
			assertThat(tradovate.renew("Basic abc", IP).status()).isEqualTo(401);
			assertThat(tradovate.stats().renewalCalls()).isEqualTo(4);
			assertThat(tradovate.stats().successfulRenewals()).isZero();
		}

		@Test
		void expiresOneMillisecondBeforeNotAfter() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(80).minusMillis(1));

			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(200);
		}

	}

	@Nested
	class Me {

		@Test
		void answersTheUserBehindAToken() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));

			JsonNode json = tradovate.me(bearer(token), IP).json();

			assertThat(json.get("userId").asLong()).isEqualTo(SimulatedUser.deriveUserId("sim-user"));
			assertThat(json.get("name").asString()).isEqualTo("sim-user");
			assertThat(json.get("fullName").asString()).isNotEmpty();
			assertThat(json.get("email").asString()).isEqualTo("sim-user@example.invalid");
			assertThat(json.get("emailVerified").asBoolean()).isTrue();
			assertThat(json.get("isTrial").asBoolean()).isFalse();
			assertThat(json.has("trial")).isFalse();
		}

		@Test
		void countsFailedCalls() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;

			assertThat(tradovate.me(null, IP).status()).isEqualTo(401);
			assertThat(tradovate.me(bearer("nope"), IP).status()).isEqualTo(401);

			assertThat(tradovate.stats().meCalls()).isEqualTo(2);
			assertThat(tradovate.stats().failedMeCalls()).isEqualTo(2);
		}

	}

	@Nested
	class ClockAndLifetime {

		@Test
		void offsetMovesExpiryAndNow() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.setClockOffset(Duration.ofMinutes(-5));

			assertThat(tradovate.now()).isEqualTo(START.minus(Duration.ofMinutes(5)));
			assertThat(login(tradovate, goodLogin()).json().get("expirationTime").asString())
				.isEqualTo("2026-01-15T10:45:00.123Z");
			assertThat(tradovate.clockOffset()).isEqualTo(Duration.ofMinutes(-5));
		}

		@Test
		void advancingTheClockExpiresTokens() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));

			tradovate.advanceClock(Duration.ofMinutes(81));

			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(401);
			assertThat(tradovate.clockOffset()).isEqualTo(Duration.ofMinutes(81));
		}

		@Test
		void offsetComesFromConfiguration() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.clock-offset", "-30s"));

			assertThat(tradovate.now()).isEqualTo(START.minusSeconds(30));
		}

		@Test
		void tokenLifetimeChangesAtRunTime() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.setTokenLifetime(Duration.ofMinutes(2));
			String token = accessToken(login(tradovate, goodLogin()));

			assertThat(tradovate.tokenLifetime()).isEqualTo(Duration.ofMinutes(2));
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(2));
			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(401);
			assertThatIllegalArgumentException().isThrownBy(() -> tradovate.setTokenLifetime(Duration.ZERO));
		}

		@Test
		void tokenLifetimeComesFromConfiguration() {
			SimulatedTradovate tradovate = simulator(Map.of("simulator.token-lifetime", "90m"));

			assertThat(login(tradovate, goodLogin()).json().get("expirationTime").asString())
				.isEqualTo("2026-01-15T11:00:00.123Z");
		}

	}

	@Nested
	class Limits {

		private void failLogins(SimulatedTradovate tradovate, int count) {
			for (int i = 0; i < count; i++) {
				assertThat(login(tradovate, badLogin()).json().get("errorText").asString())
					.isEqualTo(SimulatedTradovate.WRONG_CREDENTIALS);
			}
		}

		@Test
		void fiveFailedLoginsPenalizeTheNextLogin() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);

			SimulatedReply reply = login(tradovate, goodLogin());

			assertThat(reply.status()).isEqualTo(200);
			JsonNode json = reply.json();
			assertThat(json.get("p-ticket").asString()).isNotBlank();
			assertThat(json.get("p-time").asLong()).isEqualTo(15);
			assertThat(json.has("p-captcha")).isFalse();
			assertThat(json.has("accessToken")).isFalse();
			assertThat(tradovate.stats().successfulLogins()).isZero();
			assertThat(tradovate.stats().penaltiesIssued()).isOne();
		}

		@Test
		void limitsArePerClientAddress() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);

			accessToken(login(tradovate, goodLogin(), OTHER_IP));
		}

		@Test
		void theWindowRollsAfterAnHour() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(60));

			accessToken(login(tradovate, goodLogin()));
		}

		@Test
		void successfulLoginsDoNotCount() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			for (int i = 0; i < 10; i++) {
				accessToken(login(tradovate, goodLogin()));
			}
		}

		@Test
		void theTicketIsAcceptedAfterPTimeWithTheIdenticalBody() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			String ticket = login(tradovate, goodLogin()).json().get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(30));

			SimulatedReply resent = login(tradovate,
					loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", ticket));

			accessToken(resent);
			assertThat(tradovate.stats().successfulLogins()).isOne();
		}

		@Test
		void aResendWithATicketStillChecksCredentials() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			String ticket = login(tradovate, badLogin()).json().get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(30));

			SimulatedReply resent = login(tradovate,
					loginBody("sim-user", "wrong-password", "sim-app", "1", "sim-secret", ticket));

			assertThat(resent.json().get("errorText").asString()).isEqualTo(SimulatedTradovate.WRONG_CREDENTIALS);
		}

		@Test
		void aTicketResentTooEarlyEarnsANewLongerPenalty() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			String ticket = login(tradovate, goodLogin()).json().get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(14));

			JsonNode second = login(tradovate,
					loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", ticket))
				.json();

			assertThat(second.get("p-ticket").asString()).isNotEqualTo(ticket);
			assertThat(second.get("p-time").asLong()).isEqualTo(30);
			// The second ticket works after its own, longer p-time.
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(30));
			accessToken(login(tradovate, loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret",
					second.get("p-ticket").asString())));
		}

		@Test
		void aTicketIsGoodOnce() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			String ticket = login(tradovate, goodLogin()).json().get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(30));
			String withTicket = loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", ticket);
			accessToken(login(tradovate, withTicket));

			SimulatedReply reused = login(tradovate, withTicket);

			assertThat(reused.status()).isEqualTo(200);
			assertThat(reused.json().get("errorText").asString()).isEqualTo("Invalid p-ticket");
			assertThat(login(tradovate, loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", "made-up"))
				.json()
				.get("errorText")
				.asString()).isEqualTo("Invalid p-ticket");
		}

		@Test
		void aTicketIsTiedToItsClientAndRequest() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			failLogins(tradovate, 5);
			String first = login(tradovate, goodLogin()).json().get("p-ticket").asString();
			String second = login(tradovate, goodLogin()).json().get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(5));

			SimulatedReply otherClient = login(tradovate,
					loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", first), OTHER_IP);
			SimulatedReply otherBody = login(tradovate,
					loginBody("sim-user", "other-password", "sim-app", "1", "sim-secret", second));

			assertThat(otherClient.json().get("errorText").asString()).isEqualTo("Invalid p-ticket");
			assertThat(otherBody.json().get("errorText").asString()).isEqualTo("Invalid p-ticket");
		}

		@Test
		void penaltiesDoubleAndThenDemandACaptchaForAnHour() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			failLogins(tradovate, 5);

			assertThat(login(tradovate, goodLogin()).json().get("p-time").asLong()).isEqualTo(15);
			assertThat(login(tradovate, goodLogin()).json().get("p-time").asLong()).isEqualTo(30);
			assertThat(login(tradovate, goodLogin()).json().get("p-time").asLong()).isEqualTo(60);
			JsonNode captcha = login(tradovate, goodLogin()).json();

			assertThat(captcha.get("p-captcha").asBoolean()).isTrue();
			assertThat(captcha.get("p-ticket").asString()).isNotBlank();
			assertThat(captcha.get("p-time").asLong()).isEqualTo(3600);
			// From now on every auth call from that address gets the captcha answer.
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(59));
			assertThat(tradovate.renew(bearer(token), IP).json().get("p-captcha").asBoolean()).isTrue();
			assertThat(tradovate.me(bearer(token), IP).json().get("p-captcha").asBoolean()).isTrue();
			assertThat(login(tradovate, goodLogin()).json().get("p-captcha").asBoolean()).isTrue();
			SimulatorStats stats = tradovate.stats();
			assertThat(stats.penaltiesIssued()).isEqualTo(7);
			assertThat(stats.captchasIssued()).isEqualTo(4);
			// Until the lock ends.
			SimulatedTradovateTests.this.clock.advance(Duration.ofMinutes(1));
			accessToken(login(tradovate, goodLogin()));
		}

		@Test
		void penaltyFiguresAreConfigurable() {
			SimulatedTradovate tradovate = simulator(
					Map.of("simulator.limits.failed-logins-per-hour", "1", "simulator.limits.login-penalty-time", "10s",
							"simulator.penalties-before-captcha", "1", "simulator.captcha-lock", "5m"));
			failLogins(tradovate, 1);

			assertThat(login(tradovate, goodLogin()).json().get("p-time").asLong()).isEqualTo(10);
			JsonNode captcha = login(tradovate, goodLogin()).json();
			assertThat(captcha.get("p-captcha").asBoolean()).isTrue();
			assertThat(captcha.get("p-time").asLong()).isEqualTo(300);
		}

		@Test
		void aLimitOfZeroIsOff() {
			SimulatedTradovate tradovate = simulator(
					Map.of("simulator.limits.failed-logins-per-hour", "0", "simulator.limits.renewals-per-hour", "0"));
			failLogins(tradovate, 50);
			String token = accessToken(login(tradovate, goodLogin()));
			for (int i = 0; i < 50; i++) {
				token = accessToken(tradovate.renew(bearer(token), IP));
			}
		}

		@Test
		void everyRenewalCallCountsTowardsFifteenAnHour() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			for (int i = 0; i < 14; i++) {
				token = accessToken(tradovate.renew(bearer(token), IP));
			}
			assertThat(tradovate.renew(bearer("unknown"), IP).status()).isEqualTo(401);

			JsonNode penalty = tradovate.renew(bearer(token), IP).json();

			assertThat(penalty.get("p-time").asLong()).isEqualTo(15);
			assertThat(penalty.has("accessToken")).isFalse();
			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(200);
			SimulatedTradovateTests.this.clock.advance(Duration.ofHours(1));
			accessToken(tradovate.renew(bearer(token), IP));
		}

		@Test
		void tenFailedMeCallsPenalizeMe() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			for (int i = 0; i < 10; i++) {
				assertThat(tradovate.me(bearer("bad"), IP).status()).isEqualTo(401);
			}

			SimulatedReply penalty = tradovate.me(bearer(token), IP);

			assertThat(penalty.status()).isEqualTo(200);
			assertThat(penalty.json().get("p-ticket").asString()).isNotBlank();
			assertThat(tradovate.me(bearer(token), OTHER_IP).status()).isEqualTo(200);
		}

	}

	@Nested
	class Faults {

		@Test
		void statusFaultAnswersOnceWithAnEmptyBody() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.status(503));

			SimulatedReply faulted = login(tradovate, goodLogin());

			assertThat(faulted.status()).isEqualTo(503);
			assertThat(faulted.body()).isEmpty();
			assertThat(faulted.contentType()).isNull();
			accessToken(login(tradovate, goodLogin()));
			SimulatorStats stats = tradovate.stats();
			assertThat(stats.loginCalls()).isEqualTo(2);
			assertThat(stats.successfulLogins()).isOne();
			assertThat(stats.failedLogins()).isZero();
			assertThat(stats.faultsInjected()).isOne();
		}

		@Test
		void faultsApplyOnlyToTheirOperationAndRunInOrder() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			tradovate.enqueue(AuthOperation.RENEW, Fault.status(429), 2);
			tradovate.enqueue(AuthOperation.RENEW, Fault.status(423));

			assertThat(tradovate.pendingFaults(AuthOperation.RENEW)).isEqualTo(3);
			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(200);
			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(429);
			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(429);
			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(423);
			assertThat(tradovate.renew(bearer(token), IP).status()).isEqualTo(200);
			assertThat(tradovate.pendingFaults(AuthOperation.RENEW)).isZero();
		}

		@Test
		void stickyFaultsLastUntilCleared() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.stick(AuthOperation.LOGIN, Fault.status(500));

			for (int i = 0; i < 5; i++) {
				assertThat(login(tradovate, goodLogin()).status()).isEqualTo(500);
			}
			assertThat(tradovate.pendingFaults(AuthOperation.LOGIN)).isEqualTo(Integer.MAX_VALUE);
			tradovate.clearFaults(AuthOperation.LOGIN);
			accessToken(login(tradovate, goodLogin()));
		}

		@Test
		void clearFaultsDropsEverything() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.status(500), 3);
			tradovate.stick(AuthOperation.ME, Fault.status(500));

			tradovate.clearFaults();

			accessToken(login(tradovate, goodLogin()));
			assertThat(tradovate.me(null, IP).status()).isEqualTo(401);
		}

		@Test
		void delayFaultProcessesAtOnceAndAnswersLate() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.delay(Duration.ofSeconds(15)));

			SimulatedReply reply = login(tradovate, goodLogin());

			assertThat(reply.delay()).isEqualTo(Duration.ofSeconds(15));
			accessToken(reply);
			// The session exists even if the client gave up waiting.
			assertThat(tradovate.activeSessions("sim-user")).isOne();
			assertThat(tradovate.stats().faultsInjected()).isOne();
		}

		@Test
		void anyFaultCanBeDelayed() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.ME, Fault.status(504).after(Duration.ofSeconds(10)));

			SimulatedReply reply = tradovate.me(null, IP);

			assertThat(reply.status()).isEqualTo(504);
			assertThat(reply.delay()).isEqualTo(Duration.ofSeconds(10));
		}

		@Test
		void malformedJsonFault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.malformedJson());

			SimulatedReply reply = login(tradovate, goodLogin());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.contentType()).isEqualTo("application/json");
			assertThat(reply.body()).startsWith("{\"accessToken\"").doesNotEndWith("}");
			assertThat(tradovate.activeSessions("sim-user")).isZero();
		}

		@Test
		void htmlPageFault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.RENEW, Fault.htmlPage(502));
			tradovate.enqueue(AuthOperation.RENEW, Fault.htmlPage(200));

			SimulatedReply badGateway = tradovate.renew(null, IP);
			SimulatedReply ok = tradovate.renew(null, IP);

			assertThat(badGateway.status()).isEqualTo(502);
			assertThat(badGateway.contentType()).startsWith("text/html");
			assertThat(badGateway.body()).contains("<title>502 Bad Gateway</title>");
			assertThat(ok.status()).isEqualTo(200);
			assertThat(ok.body()).startsWith("<html>");
		}

		@Test
		void penaltyFaultIssuesARealTicket() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(7), false));

			JsonNode penalty = login(tradovate, goodLogin()).json();

			assertThat(penalty.get("p-time").asLong()).isEqualTo(7);
			assertThat(penalty.has("p-captcha")).isFalse();
			String ticket = penalty.get("p-ticket").asString();
			SimulatedTradovateTests.this.clock.advance(Duration.ofSeconds(7));
			accessToken(login(tradovate, loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", ticket)));
			assertThat(tradovate.stats().penaltiesIssued()).isOne();
			assertThat(tradovate.stats().faultsInjected()).isOne();
		}

		@Test
		void captchaPenaltyFault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(3600), true));

			JsonNode penalty = login(tradovate, goodLogin()).json();

			assertThat(penalty.get("p-captcha").asBoolean()).isTrue();
			assertThat(penalty.get("p-time").asLong()).isEqualTo(3600);
			assertThat(tradovate.stats().captchasIssued()).isOne();
			// One-shot: the next call is answered normally.
			accessToken(login(tradovate, goodLogin()));
		}

		@Test
		void errorTextFault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.errorText("Too many sessions"));

			SimulatedReply reply = login(tradovate, goodLogin());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.json().get("errorText").asString()).isEqualTo("Too many sessions");
		}

		@Test
		void rawFault() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			tradovate.enqueue(AuthOperation.LOGIN, Fault.raw(200, "application/json", "{\"violations\":[\"x\"]}"));

			SimulatedReply reply = login(tradovate, goodLogin());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.contentType()).isEqualTo("application/json");
			assertThat(reply.body()).isEqualTo("{\"violations\":[\"x\"]}");
		}

		@Test
		void faultedCallsDoNotCountTowardsLimits() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			tradovate.enqueue(AuthOperation.RENEW, Fault.status(503), 20);
			for (int i = 0; i < 20; i++) {
				tradovate.renew(bearer(token), IP);
			}

			accessToken(tradovate.renew(bearer(token), IP));
			assertThat(tradovate.stats().renewalCalls()).isEqualTo(21);
		}

		@Test
		void invalidFaultsAreRefused() {
			assertThatIllegalArgumentException().isThrownBy(() -> Fault.status(42));
			assertThatIllegalArgumentException().isThrownBy(() -> Fault.delay(Duration.ofSeconds(-1)));
			assertThatIllegalArgumentException().isThrownBy(() -> Fault.raw(200, "not a type", ""));
			assertThatIllegalArgumentException().isThrownBy(
					() -> SimulatedTradovateTests.this.tradovate.enqueue(AuthOperation.ME, Fault.status(500), 0));
		}

	}

	@Nested
	class Reset {

		@Test
		void forgetsSessionsCountersLimitsFaultsAndSettings() {
			SimulatedTradovate tradovate = SimulatedTradovateTests.this.tradovate;
			String token = accessToken(login(tradovate, goodLogin()));
			for (int i = 0; i < 5; i++) {
				login(tradovate, badLogin());
			}
			tradovate.enqueue(AuthOperation.ME, Fault.status(500));
			tradovate.setTokenLifetime(Duration.ofMinutes(1));
			tradovate.setClockOffset(Duration.ofHours(-1));

			tradovate.reset();

			assertThat(tradovate.stats()).isEqualTo(new SimulatorStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of()));
			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(401);
			assertThat(tradovate.tokenLifetime()).isEqualTo(Duration.ofMinutes(80));
			assertThat(tradovate.clockOffset()).isZero();
			accessToken(login(tradovate, goodLogin()));
		}

	}

	@Nested
	class Secrets {

		@Test
		void toStringNeverShowsSecrets() {
			SimulatedReply reply = login(SimulatedTradovateTests.this.tradovate, goodLogin());
			String token = accessToken(reply);
			AccessTokenRequest request = AccessTokenRequest
				.parse(loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", "ticket-1")
					.getBytes(StandardCharsets.UTF_8));
			AccessTokenResponse response = AccessTokenResponse.of(SimulatedUser.DEFAULT, token, "md-token",
					"2026-01-15T10:50:00.123Z", "2036-01-15T10:50:00.123Z");
			SimulatorProperties properties = TestSimulators
				.properties(Map.of("simulator.users.bob.password", "bob-password", "simulator.users.bob.app-id", "app",
						"simulator.users.bob.cid", "1", "simulator.users.bob.secret", "bob-secret"));

			assertThat(reply.toString()).doesNotContain(token);
			assertThat(request.toString()).doesNotContain("sim-password", "sim-secret", "ticket-1").contains("***");
			assertThat(response.toString()).doesNotContain(token, "md-token");
			assertThat(SimulatedUser.DEFAULT.toString()).doesNotContain("sim-password", "sim-secret");
			assertThat(properties.toString()).doesNotContain("bob-password", "bob-secret");
			assertThat(new PenaltyTicket("ticket-1", IP, AuthOperation.LOGIN, null, START, Duration.ZERO).toString())
				.doesNotContain("ticket-1");
		}

	}

}
