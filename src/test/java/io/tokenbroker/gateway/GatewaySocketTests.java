package io.tokenbroker.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.LoopbackWebSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's WebSockets over real connections, in the demo profile against its
 * embedded simulator: callers on several loopback addresses with only a client key, the
 * broker's sockets to the simulator behind them. The simulator allows 4 sockets per user,
 * the broker's ceiling is 3; the simulator closes silent sockets only after a minute, so
 * that the broker's own heartbeats show.
 */
@TestPropertySource(
		properties = { "broker.gateway.sockets.heartbeat-interval=100ms", "broker.gateway.sockets.lease-time=90s",
				"broker.gateway.max-sockets=3", "simulator.websocket.max-connections=4",
				"simulator.websocket.heartbeat-interval=100ms", "simulator.websocket.quote-interval=100ms",
				"simulator.websocket.heartbeat-timeout=60s", "broker.liveness.recheck-after=1s",
				// SHA-256 of "watcher-key": a client without the gateway's right
				"broker.clients.watcher.key-sha256=8c921924dd1544d43d5f735d62925ec64593b027133564d240d3403dfea6cf1e",
				"broker.clients.watcher.accounts=*" })
@ExtendWith(OutputCaptureExtension.class)
class GatewaySocketTests extends AgainstEmbeddedSimulator {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String KEY = "sim-demo-key";

	private static final String TRADING = "/tradovate/sim/websocket";

	private static final String MARKET_DATA = "/tradovate/sim/md/websocket";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final BrokerCaller demo = caller(KEY);

	private final List<LoopbackWebSocket> sockets = new ArrayList<>();

	@BeforeEach
	void tokenHeld() {
		await().until(() -> this.demo.get("/token").statusCode() == 200);
	}

	@AfterEach
	void closeEverything() throws IOException {
		for (LoopbackWebSocket socket : this.sockets) {
			socket.close();
		}
		this.tradovate.clearFaults();
		await().until(() -> this.tradovate.openSockets("sim-user") == 0);
		await().until(() -> this.demo.get("/token").statusCode() == 200);
	}

	private LoopbackWebSocket open(String from, String path, Map<String, String> headers) throws Exception {
		LoopbackWebSocket socket = LoopbackWebSocket.open(from, PORT, path, headers);
		this.sockets.add(socket);
		assertThat(socket.next(WAIT)).isEqualTo("o");
		return socket;
	}

	private LoopbackWebSocket authorized(String from, String path, String key) throws Exception {
		LoopbackWebSocket socket = open(from, path, Map.of());
		socket.send("authorize\n7\n\n" + key);
		assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":7}]");
		return socket;
	}

	private static JsonNode answer(String frame) {
		assertThat(frame).startsWith("a[");
		return json.readTree(frame.substring(1)).get(0);
	}

	@Test
	void aCallerWithOnlyItsKeyTradesThroughTheGatewayAndItsAuthorizeIsAnsweredHere() throws Exception {
		long listed = this.tradovate.stats().requests("account/list");
		LoopbackWebSocket socket = authorized("127.0.0.2", TRADING, KEY);

		socket.send("account/list\n8\n\n");
		JsonNode accounts = answer(socket.next(WAIT));
		socket.send("user/syncrequest\n9\n\n{\"users\":[1]}");
		JsonNode snapshot = answer(socket.next(WAIT));

		assertThat(accounts.get("i").asLong()).isEqualTo(8);
		assertThat(accounts.get("s").asInt()).isEqualTo(200);
		assertThat(accounts.get("d").get(0).get("active").asBoolean()).isTrue();
		assertThat(snapshot.get("d").has("cashBalances")).isTrue();
		assertThat(this.tradovate.openSockets("sim-user")).isOne();
		assertThat(this.tradovate.stats().requests("account/list")).isEqualTo(listed + 1);
	}

	@Test
	void marketDataStreamsQuotesWithTheKeyJsonQuotedAsSomeClientsSendIt() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.3", MARKET_DATA, "\"" + KEY + "\"");

		socket.send("md/subscribeQuote\n1\n\n{\"symbol\":\"ESM6\"}");

		// the simulator's quote tick may overtake the answer to the subscription: the
		// gateway relays them in the order they came, whichever it is
		Integer status = null;
		int quotes = 0;
		while (status == null || quotes < 3) {
			JsonNode message = answer(socket.next(WAIT));
			if (message.has("s")) {
				assertThat(message.get("i").asInt()).isEqualTo(1);
				status = message.get("s").asInt();
			}
			else {
				assertThat(message.get("e").asString()).isEqualTo("md");
				assertThat(message.at("/d/quotes/0/contractId").asLong()).isPositive();
				quotes++;
			}
		}
		assertThat(status).isEqualTo(200);
	}

	@Test
	void aKeyInTheUpgradesHeaderOpensTheUpstreamSocketAtOnce() throws Exception {
		LoopbackWebSocket socket = open("127.0.0.4", TRADING, Map.of("Authorization", "Bearer " + KEY));
		await().until(() -> this.tradovate.openSockets("sim-user") == 1);

		socket.send("authorize\n3\n\nanything");
		assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":3}]");
		socket.send("user/list\n4\n\n");
		assertThat(answer(socket.next(WAIT)).get("s").asInt()).isEqualTo(200);
	}

	@Test
	void beforeItsKeyNothingIsRelayedAndAWrongKeyGetsTradovates401AndTheSocketCloses() throws Exception {
		long listed = this.tradovate.stats().requests("account/list");
		LoopbackWebSocket socket = open("127.0.0.5", TRADING, Map.of());
		socket.send("account/list\n1\n\n");
		assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":401,\"i\":1,\"d\":\"Not authorized\"}]");

		socket.send("authorize\n2\n\nnot-a-client-key");

		assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":401,\"i\":2,\"d\":\"Invalid access token\"}]");
		assertThat(socket.next(WAIT)).isEqualTo("c[4401,\"Invalid client key\"]");
		await().until(() -> socket.closeCode() == 4401);
		assertThat(socket.closeReason()).isEqualTo("Invalid client key");
		assertThat(this.tradovate.stats().requests("account/list")).isEqualTo(listed);
		assertThat(this.tradovate.stats().openSockets()).isEmpty();
		LoopbackWebSocket.Refused refused = refused("127.0.0.5", TRADING, "not-a-client-key");
		assertThat(refused.status()).isEqualTo(401);
	}

	@Test
	void aClientWithoutTheGatewaysRightIsRefusedEitherWay() throws Exception {
		LoopbackWebSocket socket = open("127.0.0.6", TRADING, Map.of());
		socket.send("authorize\n1\n\nwatcher-key");

		await().until(() -> socket.closeCode() == 4403);
		assertThat(refused("127.0.0.6", TRADING, "watcher-key").status()).isEqualTo(403);
		assertThat(refused("127.0.0.6", "/tradovate/nobody/websocket", KEY).status()).isEqualTo(404);
		assertThat(this.tradovate.stats().openSockets()).isEmpty();
	}

	@Test
	void theCeilingRefusesTheNextSocketSoTradovateNeverRevokesTheToken() throws Exception {
		// six hosts, one address at Tradovate: the broker's
		for (int host = 2; host <= 4; host++) {
			authorized("127.0.0." + host, (host % 2 == 0) ? TRADING : MARKET_DATA, KEY);
		}
		LoopbackWebSocket fourth = open("127.0.0.5", TRADING, Map.of());
		fourth.send("authorize\n1\n\n" + KEY);

		await().until(() -> fourth.closeCode() == 4429);
		assertThat(fourth.closeReason()).contains("ceiling");
		LoopbackWebSocket.Refused fifth = refused("127.0.0.6", MARKET_DATA, KEY);
		assertThat(fifth.status()).isEqualTo(429);
		assertThat(fifth.head()).containsIgnoringCase("Retry-After:");
		assertThat(this.tradovate.openSockets("sim-user")).isEqualTo(3);
		assertThat(this.tradovate.stats().revokedTokens("sim-user")).isZero();

		this.sockets.get(0).close();
		await().until(() -> this.tradovate.openSockets("sim-user") == 2);
		authorized("127.0.0.7", TRADING, KEY);
		assertThat(this.tradovate.stats().revokedTokens("sim-user")).isZero();
	}

	@Test
	void whenTradovateClosesItsSocketTheCallersClosesWithTheSameCodeAndReason() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.2", TRADING, KEY);

		this.tradovate.closeSessions("sim-user");

		await().until(() -> socket.closeCode() == 4004);
		assertThat(socket.closeReason()).isEqualTo("Session closed");
		assertThat(socket.received()).contains("c[4004,\"Session closed\"]");
		// the broker hears of it from its next call
		this.demo.post("/token/refused", "text/plain", this.demo.get("/token", "Accept", "text/plain").body());
	}

	@Test
	void whenTheCallerClosesTheUpstreamSocketCloses() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.3", MARKET_DATA, KEY);
		await().until(() -> this.tradovate.openSockets("sim-user") == 1);

		socket.close(4321, "done for today");

		await().until(() -> this.tradovate.openSockets("sim-user") == 0);
	}

	@Test
	void aNewLoginClosesTheOldSessionsSocketsWithAReasonToReconnect() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.4", TRADING, KEY);
		long logins = this.tradovate.stats().successfulLogins();
		String token = this.demo.get("/token", "Accept", "text/plain").body();
		// the session check says closed, though Tradovate keeps the old session and
		// its socket
		this.tradovate.enqueue(AuthOperation.ME, Fault.status(401));
		// past broker.liveness.recheck-after since any check an earlier test caused
		CLOCK.advance(Duration.ofSeconds(2));

		this.demo.post("/token/refused", "text/plain", token);

		await().until(() -> socket.closeCode() == 1012);
		assertThat(socket.closeReason()).contains("reconnect");
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(logins + 1);
		LoopbackWebSocket again = authorized("127.0.0.4", TRADING, KEY);
		again.send("account/list\n1\n\n");
		assertThat(answer(again.next(WAIT)).get("s").asInt()).isEqualTo(200);
	}

	@Test
	void aRenewalLeavesOpenSocketsAlone() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.5", TRADING, KEY);
		long renewals = this.tradovate.stats().successfulRenewals();
		String before = this.demo.get("/token", "Accept", "text/plain").body();

		assertThat(this.demo.send("POST", "/actuator/tokens/sim").statusCode()).isEqualTo(200);

		assertThat(this.demo.get("/token", "Accept", "text/plain").body()).isNotEqualTo(before);
		assertThat(this.tradovate.stats().successfulRenewals()).isEqualTo(renewals + 1);
		socket.send("account/list\n2\n\n");
		assertThat(answer(socket.next(WAIT)).get("s").asInt()).isEqualTo(200);
		assertThat(socket.closeCode()).isEqualTo(-1);
	}

	@Test
	void theBrokerKeepsTheUpstreamSocketAliveWhileTheCallerSendsItsHeartbeats() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.6", TRADING, KEY);
		long heartbeats = this.tradovate.stats().requests("account/list");

		// 70 s of the simulator's clock, whose sockets close after 60 silent seconds: the
		// caller's heartbeats stay with the broker, which sends its own upstream
		for (int i = 0; i < 14; i++) {
			socket.send("[]");
			CLOCK.advance(Duration.ofSeconds(5));
			await().pollDelay(Duration.ofMillis(300)).until(() -> true);
		}

		assertThat(this.tradovate.openSockets("sim-user")).isOne();
		socket.send("account/list\n5\n\n");
		assertThat(answer(socket.next(WAIT)).get("s").asInt()).isEqualTo(200);
		assertThat(this.tradovate.stats().requests("account/list")).isEqualTo(heartbeats + 1);
	}

	@Test
	void aSilentCallerIsClosedAndItsUpstreamSocketWithIt() throws Exception {
		LoopbackWebSocket socket = authorized("127.0.0.7", TRADING, KEY);

		CLOCK.advance(Duration.ofSeconds(11));

		await().until(() -> socket.closeCode() == 4408);
		assertThat(socket.closeReason()).startsWith("Heartbeat timeout");
		await().until(() -> this.tradovate.openSockets("sim-user") == 0);
	}

	@Test
	void noTokenReachesACallerOrTheLog(CapturedOutput output) throws Exception {
		JsonNode token = this.demo.token("/token");
		LoopbackWebSocket trading = authorized("127.0.0.2", TRADING, KEY);
		LoopbackWebSocket marketData = open("127.0.0.3", MARKET_DATA, Map.of("Authorization", "Bearer " + KEY));
		marketData.send("authorize\n1\n\n" + KEY);
		assertThat(marketData.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":1}]");
		trading.send("user/syncrequest\n2\n\n{}");
		trading.next(WAIT);
		marketData.send("md/subscribeQuote\n2\n\n{\"symbol\":\"ESM6\"}");
		marketData.next(WAIT);
		marketData.next(WAIT);

		for (String secret : List.of(token.get("accessToken").asString(), token.get("mdAccessToken").asString(), KEY)) {
			assertThat(String.join("\n", trading.received())).doesNotContain(secret);
			assertThat(String.join("\n", marketData.received())).doesNotContain(secret);
		}
		// the demo key is public, and printed on purpose at start-up; the tokens
		// never are
		assertThat(output.getAll()).doesNotContain(token.get("accessToken").asString())
			.doesNotContain(token.get("mdAccessToken").asString());
	}

	private LoopbackWebSocket.Refused refused(String from, String path, String key) {
		return assertThatExceptionOfType(LoopbackWebSocket.Refused.class)
			.isThrownBy(() -> LoopbackWebSocket.open(from, PORT, path, Map.of("Authorization", "Bearer " + key)))
			.actual();
	}

}
