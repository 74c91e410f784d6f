package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the WebSocket side of {@link SimulatedTradovate}, without a network: each
 * socket is a link that records what it is sent, and the clock moves by hand.
 */
class SimulatedSocketsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private MutableClock clock;

	private SimulatedTradovate tradovate;

	@BeforeEach
	void setUp() {
		this.clock = new MutableClock(Instant.parse("2026-01-15T09:30:00Z"));
		this.tradovate = simulator(Map.of());
	}

	private SimulatedTradovate simulator(Map<String, String> properties) {
		this.tradovate = TestSimulators.simulator(this.clock, properties);
		return this.tradovate;
	}

	private Link open(SocketKind kind, String address) {
		Link link = new Link();
		link.id = this.tradovate.socketOpened(kind, address, link);
		return link;
	}

	private Link authorized(SocketKind kind, String address, String token) {
		Link link = open(kind, address);
		link.say("authorize\n0\n\n" + token);
		assertThat(link.frames).last().isEqualTo("a[{\"s\":200,\"i\":0}]");
		return link;
	}

	private static JsonNode message(String frame) {
		assertThat(frame).startsWith("a[");
		return json.readTree(frame.substring(1)).get(0);
	}

	private int me(String token) {
		return this.tradovate.me("Bearer " + token, "10.0.0.1").status();
	}

	@Test
	void anOpenSocketGetsOAndALiveTokenIsAuthorized() {
		Link link = open(SocketKind.TRADING, "10.0.0.1");
		assertThat(link.frames).containsExactly("o");

		link.say("account/list\n1\n\n");
		link.say("authorize\n2\n\n" + this.tradovate.openSession("sim-user"));
		link.say("account/list\n3\n\n");

		assertThat(link.frames.get(1)).isEqualTo("a[{\"s\":401,\"i\":1,\"d\":\"Not authorized\"}]");
		assertThat(link.frames.get(2)).isEqualTo("a[{\"s\":200,\"i\":2}]");
		assertThat(message(link.frames.get(3)).get("d").get(0).get("name").asString())
			.isEqualTo("DEMO" + SimulatedUser.deriveUserId("sim-user"));
	}

	@Test
	void expiredAndRevokedTokensAreRefused() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.renewal-revokes-previous-token", "true"));
		String renewed = tradovate.openSession("sim-user");
		tradovate.renew("Bearer " + renewed, "10.0.0.1");
		String expiring = tradovate.openSession("sim-user");
		this.clock.advance(Duration.ofMinutes(80));
		Link link = open(SocketKind.TRADING, "10.0.0.1");

		link.say("authorize\n0\n\n" + renewed);
		link.say("authorize\n1\n\n" + expiring);

		assertThat(link.frames).containsExactly("o", "a[{\"s\":401,\"i\":0,\"d\":\"Invalid access token\"}]",
				"a[{\"s\":401,\"i\":1,\"d\":\"Invalid access token\"}]");
	}

	@Test
	void eachSocketTakesItsOwnToken() {
		SimulatedTradovate.SessionTokens tokens = this.tradovate.openSession("sim-user", "device-1");
		Link trading = open(SocketKind.TRADING, "10.0.0.1");
		Link marketData = open(SocketKind.MARKET_DATA, "10.0.0.1");

		trading.say("authorize\n0\n\n" + tokens.mdAccessToken());
		marketData.say("authorize\n0\n\n" + tokens.accessToken());
		marketData.say("authorize\n1\n\n" + tokens.mdAccessToken());

		assertThat(message(trading.frames.get(1)).get("s").asInt()).isEqualTo(401);
		assertThat(message(marketData.frames.get(1)).get("s").asInt()).isEqualTo(401);
		assertThat(marketData.frames.get(2)).isEqualTo("a[{\"s\":200,\"i\":1}]");
	}

	@Test
	void silenceAndAMissingAuthorizationCloseTheSocket() {
		Link talking = authorized(SocketKind.TRADING, "10.0.0.1", this.tradovate.openSession("sim-user"));
		Link silent = authorized(SocketKind.TRADING, "10.0.0.1", this.tradovate.openSession("sim-user"));
		Link unauthorized = open(SocketKind.TRADING, "10.0.0.1");
		this.clock.advance(Duration.ofSeconds(9));
		talking.say("[]");
		this.tradovate.socketTick();
		assertThat(silent.closed).isNull();

		this.clock.advance(Duration.ofSeconds(1));
		this.tradovate.socketTick();

		assertThat(talking.closed).isNull();
		assertThat(talking.frames).last().isEqualTo("h");
		assertThat(silent.closed).isEqualTo(SocketClose.HEARTBEAT_TIMEOUT);
		assertThat(unauthorized.closed).isEqualTo(SocketClose.NOT_AUTHORIZED);
	}

	@Test
	void sessionsThatEndCloseTheirSockets() {
		Link evicted = authorized(SocketKind.TRADING, "10.0.0.1", this.tradovate.openSession("sim-user"));
		Link expiring = authorized(SocketKind.TRADING, "10.0.0.1", this.tradovate.openSession("sim-user"));

		// a third login closes the oldest session, and its socket at once
		this.tradovate.openSession("sim-user");
		assertThat(evicted.closed).isEqualTo(SocketClose.SESSION_CLOSED);
		assertThat(expiring.closed).isNull();

		this.clock.advance(Duration.ofMinutes(80));
		expiring.say("[]");
		this.tradovate.socketTick();
		assertThat(expiring.closed).isEqualTo(SocketClose.SESSION_EXPIRED);
	}

	@Test
	void syncRequestAnswersASnapshotThenPushesChanges() {
		String token = this.tradovate.openSession("sim-user");
		Link syncing = authorized(SocketKind.TRADING, "10.0.0.1", token);
		Link other = authorized(SocketKind.TRADING, "10.0.0.1", token);

		syncing.say("user/syncrequest\n1\n\n{\"users\":[" + SimulatedUser.deriveUserId("sim-user") + "]}");
		JsonNode snapshot = message(syncing.frames.get(2)).get("d");
		this.tradovate.changeCashBalance("sim-user", 51_234.5);

		assertThat(snapshot.get("users").get(0).get("name").asString()).isEqualTo("sim-user");
		assertThat(snapshot.get("cashBalances").get(0).get("amount").asDouble()).isEqualTo(50_000.0);
		JsonNode push = message(syncing.frames.get(3));
		assertThat(push.get("e").asString()).isEqualTo("props");
		assertThat(push.get("d").get("entityType").asString()).isEqualTo("cashBalance");
		assertThat(push.get("d").get("entity").get("amount").asDouble()).isEqualTo(51_234.5);
		assertThat(other.frames).hasSize(2);
	}

	@Test
	void quotesFlowFromSubscribeToUnsubscribe() {
		SimulatedTradovate.SessionTokens tokens = this.tradovate.openSession("sim-user", "device-1");
		Link link = authorized(SocketKind.MARKET_DATA, "10.0.0.1", tokens.mdAccessToken());

		link.say("md/subscribequote\n1\n\n{\"symbol\":\"ESM6\"}");
		this.tradovate.quoteTick();
		link.say("md/unsubscribeQuote\n2\n\n{\"symbol\":\"ESM6\"}");
		this.tradovate.quoteTick();
		link.say("account/list\n3\n\n");

		assertThat(link.frames.get(2)).isEqualTo("a[{\"s\":200,\"i\":1}]");
		for (String frame : link.frames.subList(3, 5)) {
			JsonNode quote = message(frame).get("d").get("quotes").get(0);
			assertThat(quote.get("contractId").asLong()).isEqualTo(Contract.of("ESM6").id());
		}
		assertThat(link.frames.get(5)).isEqualTo("a[{\"s\":200,\"i\":2}]");
		assertThat(message(link.frames.get(6)).get("s").asInt()).as("account/list is no market-data request")
			.isEqualTo(404);
		assertThat(link.frames).hasSize(7);
	}

	@Test
	void pastTheConnectionLimitTheOldestIsClosedAndItsTokenRevoked() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.websocket.max-connections", "3"));
		String oldest = tradovate.openSession("sim-user");
		String shared = tradovate.openSession("sim-user");
		Link first = authorized(SocketKind.TRADING, "10.0.0.1", oldest);
		authorized(SocketKind.TRADING, "10.0.0.1", shared);
		authorized(SocketKind.TRADING, "10.0.0.1", shared);
		assertThat(me(oldest)).isEqualTo(200);

		Link fourth = authorized(SocketKind.TRADING, "10.0.0.1", shared);

		assertThat(first.closed).isEqualTo(SocketClose.CONNECTION_LIMIT);
		assertThat(first.frames).last().isEqualTo("c[4003,\"Connection limit exceeded, token revoked\"]");
		assertThat(fourth.closed).isNull();
		assertThat(me(oldest)).isEqualTo(401);
		assertThat(tradovate.userData("Bearer " + oldest, "account/list", (user) -> List.of()).status()).isEqualTo(401);
		assertThat(me(shared)).isEqualTo(200);
		assertThat(tradovate.stats().revokedTokens("sim-user")).isOne();
		assertThat(tradovate.openSockets("sim-user")).isEqualTo(3);
	}

	@Test
	void pastTheMarketDataDeviceLimitTheOldestDeviceLosesItsSocketAndTokens() {
		SimulatedTradovate tradovate = simulator(
				Map.of("simulator.websocket.max-market-data-devices", "2", "simulator.max-sessions-per-user", "5"));
		List<SimulatedTradovate.SessionTokens> devices = new ArrayList<>();
		List<Link> links = new ArrayList<>();
		for (int device = 1; device <= 3; device++) {
			devices.add(tradovate.openSession("sim-user", "device-" + device));
		}
		// two sockets of one device count once
		links.add(authorized(SocketKind.MARKET_DATA, "10.0.0.1", devices.get(0).mdAccessToken()));
		links.add(authorized(SocketKind.MARKET_DATA, "10.0.0.1", devices.get(1).mdAccessToken()));
		links.add(authorized(SocketKind.MARKET_DATA, "10.0.0.1", devices.get(1).mdAccessToken()));
		assertThat(links).allMatch((link) -> link.closed == null);

		links.add(authorized(SocketKind.MARKET_DATA, "10.0.0.1", devices.get(2).mdAccessToken()));

		assertThat(links.get(0).closed).isEqualTo(SocketClose.CONNECTION_LIMIT);
		assertThat(links.subList(1, 4)).allMatch((link) -> link.closed == null);
		assertThat(me(devices.get(0).accessToken())).as("tokens issued with the md token").isEqualTo(401);
		assertThat(me(devices.get(1).accessToken())).isEqualTo(200);
		Link again = open(SocketKind.MARKET_DATA, "10.0.0.1");
		again.say("authorize\n0\n\n" + devices.get(0).mdAccessToken());
		assertThat(message(again.frames.get(1)).get("s").asInt()).isEqualTo(401);
		assertThat(tradovate.stats().revokedTokens("sim-user")).isOne();
	}

	@Test
	void pastTheAddressLimitTheOldestAddressIsClosed() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.websocket.max-addresses", "2"));
		String token = tradovate.openSession("sim-user");
		Link first = authorized(SocketKind.TRADING, "10.0.0.1", token);
		Link second = authorized(SocketKind.TRADING, "10.0.0.2", token);
		Link sameAsSecond = authorized(SocketKind.TRADING, "10.0.0.2", token);
		assertThat(first.closed).isNull();

		Link third = authorized(SocketKind.TRADING, "10.0.0.3", token);

		assertThat(first.closed).isEqualTo(SocketClose.CONNECTION_LIMIT);
		assertThat(List.of(second, sameAsSecond, third)).allMatch((link) -> link.closed == null);
		assertThat(me(token)).isEqualTo(401);
	}

	@Test
	void socketRequestsCountTowardsTheUsersHourlyLimit() {
		SimulatedTradovate tradovate = simulator(Map.of("simulator.limits.requests-per-hour", "2"));
		String token = tradovate.openSession("sim-user");
		Link link = authorized(SocketKind.TRADING, "10.0.0.1", token);

		for (int i = 1; i <= 4; i++) {
			link.say("user/list\n" + i + "\n\n");
		}

		assertThat(link.frames.subList(2, 6)).extracting((frame) -> message(frame).get("s").asInt())
			.containsExactly(200, 200, 423, 429);
		assertThat(message(link.frames.get(5)).has("d")).isFalse();
		assertThat(tradovate.userData("Bearer " + token, "account/list", (user) -> List.of()).status()).isEqualTo(429);
	}

	/** A connection that records what the simulator sends it. */
	private final class Link implements SocketLink {

		private final List<String> frames = new ArrayList<>();

		private long id;

		private SocketClose closed;

		/** What the client sends. */
		void say(String text) {
			SimulatedSocketsTests.this.tradovate.socketFrame(this.id, text);
		}

		@Override
		public void send(String frame) {
			this.frames.add(frame);
		}

		@Override
		public void close(SocketClose reason) {
			this.frames.add(SocketFrames.close(reason));
			this.closed = reason;
			SimulatedSocketsTests.this.tradovate.socketClosed(this.id);
		}

	}

}
