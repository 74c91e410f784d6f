package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.testing.MutableClock;

import static io.tokenbroker.simulator.TestSimulators.loginBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the limits of the partner docs' "Rate Limits" beyond the per-IP counts: the
 * per-endpoint waits, penalties keyed to the /24 subnet, the per-user hourly limit, and
 * the answers to dead tokens.
 */
class SimulatedLimitsTests {

	private static final String IP = "10.0.0.1";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T09:30:00Z"));

	private SimulatedTradovate tradovate;

	@BeforeEach
	void setUp() {
		this.tradovate = simulator(Map.of());
	}

	private SimulatedTradovate simulator(Map<String, String> properties) {
		return TestSimulators.simulator(this.clock, properties);
	}

	private static SimulatedReply login(SimulatedTradovate tradovate, String password, String ip) {
		return tradovate.login(loginBody("sim-user", password).getBytes(StandardCharsets.UTF_8), ip);
	}

	private static String bearer(String token) {
		return "Bearer " + token;
	}

	@Test
	void eachEndpointWaitsItsOwnPenaltyTime() {
		for (int i = 0; i < 5; i++) {
			login(this.tradovate, "wrong", IP);
		}
		String token = this.tradovate.openSession("sim-user");
		for (int i = 0; i < 15; i++) {
			token = this.tradovate.renew(bearer(token), "10.0.1.1").json().get("accessToken").asString();
		}
		for (int i = 0; i < 10; i++) {
			this.tradovate.me(bearer("dead"), "10.0.2.1");
		}

		assertThat(login(this.tradovate, "sim-password", IP).json().get("p-time").asLong()).isEqualTo(15);
		assertThat(this.tradovate.renew(bearer(token), "10.0.1.1").json().get("p-time").asLong()).isEqualTo(15);
		assertThat(this.tradovate.me(bearer(token), "10.0.2.1").json().get("p-time").asLong()).isEqualTo(30);
	}

	@Test
	void aPenaltyHoldsForTheCallersWholeSlash24() {
		for (int i = 0; i < 5; i++) {
			login(this.tradovate, "wrong", IP);
		}
		assertThat(login(this.tradovate, "sim-password", IP).json().has("p-ticket")).isTrue();

		JsonNode neighbour = login(this.tradovate, "sim-password", "10.0.0.200").json();
		JsonNode elsewhere = login(this.tradovate, "sim-password", "10.0.1.1").json();

		assertThat(neighbour.get("p-time").asLong()).as("a further violation of the subnet doubles").isEqualTo(30);
		assertThat(elsewhere.get("accessToken").asString()).isNotBlank();
		// once the back-off is over, the neighbour's own clean record counts
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(login(this.tradovate, "sim-password", "10.0.0.200").json().has("accessToken")).isTrue();
		assertThat(login(this.tradovate, "sim-password", IP).json().has("p-ticket")).isTrue();
	}

	@Test
	void syncRequestsPastTheirHourlyLimitGetAPenaltyForTheBackOffAndAreCounted() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.limits.sync-requests-per-hour", "2",
				"simulator.limits.sync-request-penalty-time", "3s"));
		String token = tradovate.openSession("sim-user");

		JsonNode first = tradovate.syncRequest(bearer(token), IP).json();
		tradovate.syncRequest(bearer(token), IP);
		JsonNode penalty = tradovate.syncRequest(bearer(token), IP).json();
		JsonNode elsewhere = tradovate.syncRequest(bearer(token), "10.0.9.9").json();
		this.clock.advance(Duration.ofSeconds(2));
		JsonNode backingOff = tradovate.syncRequest(bearer(token), IP).json();
		this.clock.advance(Duration.ofMinutes(60));
		JsonNode anHourLater = tradovate.syncRequest(bearer(token), IP).json();

		assertThat(first.get("accounts").get(0).get("active").asBoolean()).isTrue();
		assertThat(penalty.get("p-ticket").asString()).isNotBlank();
		assertThat(penalty.get("p-time").asLong()).isEqualTo(3);
		assertThat(elsewhere.has("users")).as("the limit counts per IP address").isTrue();
		assertThat(backingOff.get("p-time").asLong()).isOne();
		assertThat(anHourLater.has("users")).isTrue();
		assertThat(tradovate.stats().requests("user/syncrequest")).isEqualTo(6);
		assertThat(tradovate.stats().penaltiesIssued()).isEqualTo(2);
		assertThat(tradovate.syncRequest(bearer("dead"), IP).status()).isEqualTo(401);
	}

	@Test
	void pastTheHourlyLimitAUserGets423ThenAnEmpty429UntilItStopsForTheLockTime() {
		SimulatedTradovate tradovate = simulator(
				Map.of("simulator.limits.requests-per-hour", "3", "simulator.token-lifetime", "24h"));
		String token = tradovate.openSession("sim-user");
		for (int i = 0; i < 3; i++) {
			assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(200);
		}

		SimulatedReply warning = tradovate.me(bearer(token), IP);
		SimulatedReply locked = tradovate.userData(bearer(token), "account/list", (user) -> List.of());
		this.clock.advance(Duration.ofMinutes(59));
		SimulatedReply stillLocked = tradovate.renew(bearer(token), IP);

		assertThat(warning.status()).isEqualTo(423);
		assertThat(locked.status()).isEqualTo(429);
		assertThat(locked.body()).isEmpty();
		assertThat(locked.contentType()).isNull();
		assertThat(stillLocked.status()).isEqualTo(429);
		// every request during the lock starts it again
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(429);
		this.clock.advance(Duration.ofHours(1));
		assertThat(tradovate.me(bearer(token), IP).status()).isEqualTo(200);
	}

	@Test
	void theHourlyLimitIsPerUser() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.limits.requests-per-hour", "1",
				"simulator.users.alice.password", "pw", "simulator.users.alice.app-id", "app",
				"simulator.users.alice.cid", "7", "simulator.users.alice.secret", "s", "simulator.users.bob.password",
				"pw", "simulator.users.bob.app-id", "app", "simulator.users.bob.cid", "8", "simulator.users.bob.secret",
				"s"));
		String alice = tradovate.openSession("alice");
		String bob = tradovate.openSession("bob");
		tradovate.me(bearer(alice), IP);

		assertThat(tradovate.me(bearer(alice), IP).status()).isEqualTo(423);
		assertThat(tradovate.me(bearer(bob), IP).status()).isEqualTo(200);
	}

	@Test
	void deadTokensGet401ByDefault() {
		assertThat(this.tradovate.me(bearer("dead"), IP).status()).isEqualTo(401);
		assertThat(this.tradovate.renew(bearer("dead"), IP).status()).isEqualTo(401);
	}

	@Test
	void deadTokensCanGetHttp200WithErrorText() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.dead-token-answer", "error-text"));

		SimulatedReply me = tradovate.me(bearer("dead"), IP);
		SimulatedReply renewal = tradovate.renew(bearer("dead"), IP);

		for (SimulatedReply reply : List.of(me, renewal)) {
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.json().get("errorText").asString()).isEqualTo(SimulatedTradovate.DEAD_TOKEN);
		}
		assertThat(tradovate.stats().failedMeCalls()).isOne();
		assertThat(tradovate.me(bearer(tradovate.openSession("sim-user")), IP).json().has("errorText")).isFalse();
	}

	@Test
	void hibpHintIsAnOptionalString() {
		JsonNode without = login(this.tradovate, "sim-password", IP).json();
		JsonNode with = login(simulator(Map.of("simulator.hibp-hint", "Password found in a known breach")),
				"sim-password", IP)
			.json();

		assertThat(without.get("hibpHint").isNull()).isTrue();
		assertThat(with.get("hibpHint").asString()).isEqualTo("Password found in a known breach");
	}

	@Test
	void unknownEndpointsGetTradovatesNotFound() {
		SimulatedReply reply = SimulatedReply.notFound("order/placeorder");

		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.contentType()).isEqualTo("application/json");
		assertThat(reply.json().asString()).isEqualTo("Not found: order/placeorder");
	}

}
