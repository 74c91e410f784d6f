package io.tokenbroker.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.LoopbackWebSocket;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that stops closes both ends of every relayed socket cleanly, telling its
 * callers to reconnect, before its web server shuts down.
 */
@Tag("application")
class GatewayShutdownTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private Brokers.Started simulator;

	@AfterEach
	void stopSimulator() {
		if (this.simulator != null) {
			this.simulator.close();
		}
	}

	@Test
	void aGracefulShutdownClosesBothEndsOfEverySocket() throws Exception {
		String user = "simulator.users.main.";
		this.simulator = Brokers.simulator(this.clock, user + "password=sim-password", user + "app-id=sim-app",
				user + "cid=1", user + "secret=sim-secret");
		SimulatedTradovate tradovate = this.simulator.bean(SimulatedTradovate.class);
		Brokers.Started broker = Brokers.broker(this.clock, this.simulator.port(), List.of("main"),
				"broker.gateway.enabled=true", "broker.clients.fleet.gateway=true");
		await().until(() -> broker.caller().get("/token/main").statusCode() == 200);
		LoopbackWebSocket socket = LoopbackWebSocket.open("127.0.0.2", broker.port(), "/tradovate/main/websocket",
				Map.of());
		assertThat(socket.next(Duration.ofSeconds(10))).isEqualTo("o");
		socket.send("authorize\n1\n\n" + Brokers.KEY);
		assertThat(socket.next(Duration.ofSeconds(10))).isEqualTo("a[{\"s\":200,\"i\":1}]");
		assertThat(tradovate.openSockets("main")).isOne();

		broker.close();

		await().until(() -> socket.closeCode() == 1001);
		assertThat(socket.closeReason()).contains("reconnect");
		assertThat(socket.received()).contains("c[1001,\"The broker is shutting down: reconnect\"]");
		await().until(() -> tradovate.openSockets("main") == 0);
	}

}
