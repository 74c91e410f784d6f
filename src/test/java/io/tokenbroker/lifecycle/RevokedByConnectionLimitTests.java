package io.tokenbroker.lifecycle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.test.annotation.DirtiesContext;

import io.tokenbroker.simulator.LoopbackWebSocket;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's scenario: callers open Tradovate WebSockets with the broker's one token from
 * six hosts (loopback addresses 127.0.0.2 to .7), one more than Tradovate's five IP
 * addresses per user. Tradovate closes the oldest socket and revokes the token for every
 * caller; the callers that then get 401 report it, and the broker notices, replaces it
 * with one login and counts the revocation; without reports, the liveness check finds it.
 * Logs the scenario's counts.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class RevokedByConnectionLimitTests extends AgainstEmbeddedSimulator {

	private static final Logger log = LoggerFactory.getLogger(RevokedByConnectionLimitTests.class);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int HOSTS = 6;

	private static final int CALLERS = 3;

	private final BrokerCaller caller = caller("sim-demo-key");

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<LoopbackWebSocket> sockets = new ArrayList<>();

	@AfterEach
	void closeSockets() throws Exception {
		for (LoopbackWebSocket socket : this.sockets) {
			socket.close();
		}
	}

	private int accountList(String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/v1/account/list"))
			.header("Authorization", "Bearer " + token)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/** Opens a socket from each host with the broker's token: the sixth revokes it. */
	private String revokedBySixHosts() throws Exception {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		String shared = this.caller.token("/token").get("accessToken").stringValue();
		for (int host = 2; host < 2 + HOSTS; host++) {
			LoopbackWebSocket socket = LoopbackWebSocket.open("127.0.0." + host, PORT, "/v1/websocket");
			this.sockets.add(socket);
			assertThat(socket.next(WAIT)).isEqualTo("o");
			socket.send("authorize\n1\n\n" + shared);
			assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":1}]");
		}
		await().until(() -> this.sockets.get(0).closeCode() != -1);
		assertThat(this.sockets.get(0).closeCode()).isEqualTo(4003);
		assertThat(this.sockets.stream().filter((socket) -> socket.closeCode() != -1).count()).isOne();
		assertThat(this.tradovate.stats().revokedTokens("sim-user")).isOne();
		return shared;
	}

	@Test
	void aSixthHostRevokesTheSharedTokenWhichCallersReportAndOneLoginReplaces() throws Exception {
		String shared = revokedBySixHosts();

		List<String> failedCallers = new ArrayList<>();
		for (int i = 1; i <= CALLERS; i++) {
			if (accountList(shared) == 401) {
				failedCallers.add("caller-" + i);
			}
		}
		List<CompletableFuture<String>> reports = failedCallers.stream()
			.map((name) -> CompletableFuture
				.supplyAsync(() -> BrokerCaller.body(this.caller.post("/token/refused", "text/plain", shared))
					.get("accessToken")
					.stringValue()))
			.toList();
		List<String> answered = reports.stream().map(CompletableFuture::join).toList();

		String replacement = answered.get(0);
		long logins = this.tradovate.stats().successfulLogins();
		log.info("Revocation scenario: {} sockets opened from {} hosts with one token, 1 closed by the address "
				+ "limit and its token revoked ({} revoked token at the simulator); {} of {} callers failed (401) "
				+ "and reported it; {} /auth/me check(s); {} logins in all ({} replacement)", HOSTS, HOSTS,
				this.tradovate.stats().revokedTokens("sim-user"), failedCallers.size(), CALLERS,
				this.tradovate.stats().meCalls(), logins, logins - 1);
		assertThat(failedCallers).hasSize(CALLERS);
		assertThat(answered).allMatch(replacement::equals);
		assertThat(replacement).isNotEqualTo(shared);
		assertThat(accountList(replacement)).isEqualTo(200);
		assertThat(logins).isEqualTo(2);
		assertThat(this.tradovate.stats().meCalls()).isOne();
		String metrics = this.caller.get("/actuator/prometheus").body();
		assertThat(metrics).contains("broker_token_revocations_total{account=\"sim\",cause=\"caller-report\"} 1.0")
			.contains("broker_logins_total{account=\"sim\",reason=\"reported\"} 1.0");
	}

	@Test
	void withoutReportsTheLivenessCheckFindsTheRevocation() throws Exception {
		String shared = revokedBySixHosts();

		CLOCK.advance(Duration.ofMinutes(5));
		await().until(() -> !shared.equals(this.caller.token("/token").get("accessToken").stringValue()));

		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
		assertThat(this.tradovate.stats().meCalls()).isOne();
		assertThat(this.caller.get("/actuator/prometheus").body())
			.contains("broker_token_revocations_total{account=\"sim\",cause=\"liveness-check\"} 1.0");
	}

}
