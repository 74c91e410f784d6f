package io.tokenbroker.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import io.tokenbroker.testing.LoopbackWebSocket;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tradovate's WebSockets over real connections, in the application with the broker
 * switched off (the standalone simulator), from several loopback addresses as several
 * hosts. Time-outs follow a clock the tests move; the simulator's ticker notices within
 * its heartbeat interval.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "simulator.enabled=true", "broker.enabled=false", "simulator.websocket.heartbeat-interval=100ms",
				"simulator.websocket.quote-interval=100ms" })
class SimulatorWebSocketTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-15T09:30:00Z"));

	private static final JsonMapper json = JsonMapper.builder().build();

	@TestBean
	private Clock clock;

	@LocalServerPort
	private int port;

	@Autowired
	private SimulatedTradovate tradovate;

	private final List<LoopbackWebSocket> sockets = new ArrayList<>();

	static Clock clock() {
		return CLOCK;
	}

	@BeforeEach
	@AfterEach
	void reset() throws Exception {
		for (LoopbackWebSocket socket : this.sockets) {
			socket.close();
		}
		this.sockets.clear();
		this.tradovate.reset();
	}

	private LoopbackWebSocket open(String from, SocketKind kind) throws Exception {
		LoopbackWebSocket socket = LoopbackWebSocket.open(from, this.port, kind.path());
		this.sockets.add(socket);
		assertThat(socket.next(WAIT)).isEqualTo("o");
		return socket;
	}

	private LoopbackWebSocket authorized(String from, SocketKind kind, String token) throws Exception {
		LoopbackWebSocket socket = open(from, kind);
		socket.send("authorize\n0\n\n" + token);
		assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":0}]");
		return socket;
	}

	private static JsonNode message(String frame) {
		assertThat(frame).startsWith("a[");
		return json.readTree(frame.substring(1)).get(0);
	}

	private int me(String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/auth/me"))
			.header("Authorization", "Bearer " + token)
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@Test
	void theTradingSocketSpeaksTradovatesFrames() throws Exception {
		String token = this.tradovate.openSession("sim-user");
		LoopbackWebSocket socket = authorized("127.0.0.1", SocketKind.TRADING, token);

		socket.send("account/list\n1\n\n");
		JsonNode accounts = message(socket.next(WAIT));
		socket.send("nothing/here\n2\n\n");
		JsonNode unknown = message(socket.next(WAIT));

		assertThat(accounts.get("s").asInt()).isEqualTo(200);
		assertThat(accounts.get("i").asLong()).isOne();
		assertThat(accounts.get("d").get(0).get("active").asBoolean()).isTrue();
		assertThat(unknown.get("s").asInt()).isEqualTo(404);
		assertThat(unknown.get("d").asString()).isEqualTo("\"Not found: nothing/here\"");
		assertThat(this.tradovate.openSockets("sim-user")).isOne();
	}

	@Test
	void authorizeRefusesDeadAndJsonQuotedTokens() throws Exception {
		String token = this.tradovate.openSession("sim-user");
		LoopbackWebSocket socket = open("127.0.0.1", SocketKind.TRADING);

		socket.send("authorize\n0\n\n\"" + token + "\"");
		String quoted = socket.next(WAIT);
		socket.send("authorize\n1\n\nno-such-token");
		String dead = socket.next(WAIT);

		assertThat(quoted).isEqualTo("a[{\"s\":401,\"i\":0,\"d\":\"Invalid access token\"}]");
		assertThat(dead).isEqualTo("a[{\"s\":401,\"i\":1,\"d\":\"Invalid access token\"}]");
	}

	@Test
	void theMarketDataSocketTakesTheMdTokenAndPushesQuotes() throws Exception {
		SimulatedTradovate.SessionTokens tokens = this.tradovate.openSession("sim-user", "device-1");
		LoopbackWebSocket refused = open("127.0.0.1", SocketKind.MARKET_DATA);
		refused.send("authorize\n0\n\n" + tokens.accessToken());
		assertThat(message(refused.next(WAIT)).get("s").asInt()).isEqualTo(401);
		LoopbackWebSocket socket = authorized("127.0.0.1", SocketKind.MARKET_DATA, tokens.mdAccessToken());

		socket.send("md/subscribeQuote\n1\n\n{\"symbol\":\"ESM6\"}");

		assertThat(message(socket.next(WAIT)).get("s").asInt()).isEqualTo(200);
		for (int i = 0; i < 3; i++) {
			JsonNode quotes = message(socket.next(WAIT));
			assertThat(quotes.get("e").asString()).isEqualTo("md");
			JsonNode quote = quotes.get("d").get("quotes").get(0);
			assertThat(quote.get("contractId").asLong()).isEqualTo(Contract.of("ESM6").id());
			assertThat(quote.get("entries").get("Bid").get("price").asDouble()).isPositive();
		}
	}

	@Test
	void aSilentSocketIsClosed() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.1", SocketKind.TRADING, this.tradovate.openSession("sim-user"));
		CLOCK.advance(Duration.ofSeconds(5));
		socket.send("[]");
		// frames are read in order: once this is answered, the heartbeat was heard
		socket.send("user/list\n1\n\n");
		assertThat(message(socket.next(WAIT)).get("s").asInt()).isEqualTo(200);
		CLOCK.advance(Duration.ofSeconds(6));
		this.tradovate.socketTick();
		assertThat(this.tradovate.openSockets("sim-user")).as("heard from 6 s ago").isOne();

		CLOCK.advance(Duration.ofSeconds(5));

		await().atMost(WAIT).until(() -> socket.closeCode() == SocketClose.HEARTBEAT_TIMEOUT.code());
		assertThat(socket.next(Duration.ZERO)).isEqualTo("c[4002,\"Heartbeat timeout\"]");
		assertThat(this.tradovate.openSockets("sim-user")).isZero();
	}

	@Test
	void restServesTheAccountAndUserListsToLiveTokensOnly() throws Exception {
		String token = this.tradovate.openSession("sim-user");

		HttpResponse<String> accounts = get("/v1/account/list", token);
		HttpResponse<String> users = get("/v1/user/list", token);
		HttpResponse<String> refused = get("/v1/account/list", "no-such-token");

		assertThat(accounts.statusCode()).isEqualTo(200);
		assertThat(json.readTree(accounts.body()).get(0).get("userId").asLong())
			.isEqualTo(SimulatedUser.deriveUserId("sim-user"));
		assertThat(json.readTree(users.body()).get(0).get("name").asString()).isEqualTo("sim-user");
		assertThat(refused.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + token)
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aSocketThatNeverAuthorizesIsClosed() throws Exception {
		LoopbackWebSocket socket = open("127.0.0.1", SocketKind.TRADING);

		CLOCK.advance(Duration.ofSeconds(10));

		await().atMost(WAIT).until(() -> socket.closeCode() == SocketClose.NOT_AUTHORIZED.code());
	}

	@Test
	void aSixthHostClosesTheOldestSocketAndRevokesTheSharedToken() throws Exception {
		// one token shared by every caller, as the broker hands it out
		String token = this.tradovate.openSession("sim-user");
		List<LoopbackWebSocket> hosts = new ArrayList<>();
		for (int host = 1; host <= 5; host++) {
			hosts.add(authorized("127.0.0." + (10 + host), SocketKind.TRADING, token));
		}
		assertThat(me(token)).isEqualTo(200);

		authorized("127.0.0.16", SocketKind.TRADING, token);

		await().atMost(WAIT).until(() -> hosts.get(0).closeCode() == SocketClose.CONNECTION_LIMIT.code());
		assertThat(hosts.subList(1, 5)).noneMatch(LoopbackWebSocket::isClosed);
		assertThat(me(token)).isEqualTo(401);
		assertThat(this.tradovate.stats().revokedTokens("sim-user")).isOne();
		assertThat(this.tradovate.openSockets("sim-user")).isEqualTo(5);
	}

	@Test
	void aClosedSessionClosesItsSockets() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.1", SocketKind.TRADING, this.tradovate.openSession("sim-user"));

		this.tradovate.closeSessions("sim-user");

		await().atMost(WAIT).until(() -> socket.closeCode() == SocketClose.SESSION_CLOSED.code());
	}

	@Test
	void unknownRestPathsGetTradovatesNotFound() throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/order/placeorder"))
			.build();

		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("\"Not found: order/placeorder\"");
	}

}
