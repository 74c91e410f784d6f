package io.tokenbroker.lifecycle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.LoopbackWebSocket;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreshBrokerPerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's scenario: callers open Tradovate WebSockets with the broker's one token past
 * a connection limit: from six hosts (loopback addresses 127.0.0.2 to .7), one more than
 * Tradovate's five IP addresses per user, or from one host one more than the connections
 * a user may hold (50 at Tradovate, 8 here). Tradovate closes the oldest socket and
 * revokes the token for every caller; the callers that then get 401 report it, and the
 * broker notices, replaces it with exactly one login and counts the revocation; without
 * reports, the liveness check finds it. Prints each run's counts in one line starting
 * with {@code REVOCATION SCENARIO}.
 */
@TestPropertySource(properties = "simulator.websocket.max-connections=" + RevokedByConnectionLimitTests.MAX_CONNECTIONS)
@FreshBrokerPerTest
class RevokedByConnectionLimitTests extends AgainstEmbeddedSimulator {

	static final int MAX_CONNECTIONS = 8;

	private static final String USER = "sim-user";

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** One more than Tradovate's five addresses per user. */
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

	private String sharedToken() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		return this.caller.token("/token").get("accessToken").stringValue();
	}

	/**
	 * Opens trading sockets with the broker's token, one from each address given, and
	 * authorizes each; the last one is past a limit: the oldest is closed and the token
	 * revoked.
	 */
	private void openPastTheLimit(String shared, List<String> from) throws Exception {
		for (String address : from) {
			LoopbackWebSocket socket = LoopbackWebSocket.open(address, PORT, "/v1/websocket");
			this.sockets.add(socket);
			assertThat(socket.next(WAIT)).isEqualTo("o");
			socket.send("authorize\n1\n\n" + shared);
			assertThat(socket.next(WAIT)).isEqualTo("a[{\"s\":200,\"i\":1}]");
		}
		await().until(() -> this.sockets.get(0).closeCode() != -1);
		assertThat(this.sockets.get(0).closeCode()).isEqualTo(4003);
		assertThat(closedByTheLimit()).isOne();
		assertThat(this.tradovate.stats().revokedTokens(USER)).isOne();
	}

	private long closedByTheLimit() {
		return this.sockets.stream().filter((socket) -> socket.closeCode() == 4003).count();
	}

	private static List<String> sixHosts() {
		return IntStream.range(2, 2 + HOSTS).mapToObj((host) -> "127.0.0." + host).toList();
	}

	private static List<String> oneHostPastTheConnections() {
		return Collections.nCopies(MAX_CONNECTIONS + 1, "127.0.0.2");
	}

	/**
	 * Callers use the revoked token (401), report it together, and all get the one
	 * replacement.
	 */
	private void reportedByItsCallers(String limit, String shared) throws Exception {
		int failedCallers = 0;
		for (int i = 0; i < CALLERS; i++) {
			if (accountList(shared) == 401) {
				failedCallers++;
			}
		}
		List<CompletableFuture<String>> reports = IntStream.range(0, failedCallers)
			.mapToObj((i) -> CompletableFuture
				.supplyAsync(() -> BrokerCaller.body(this.caller.post("/token/refused", "text/plain", shared))
					.get("accessToken")
					.stringValue()))
			.toList();
		List<String> answered = reports.stream().map(CompletableFuture::join).toList();
		String replacement = answered.get(0);
		int replacementWorks = accountList(replacement);

		String counts = counts(limit, failedCallers, "caller-report");
		System.out.println(counts);
		assertThat(failedCallers).as(counts).isEqualTo(CALLERS);
		assertThat(answered).as(counts).hasSize(CALLERS).allMatch(replacement::equals);
		assertThat(replacement).isNotEqualTo(shared);
		assertThat(replacementWorks).as(counts).isEqualTo(200);
		assertThat(this.tradovate.stats().loginCalls()).as(counts).isEqualTo(2);
		assertThat(this.tradovate.stats().successfulLogins()).as(counts).isEqualTo(2);
		assertThat(this.tradovate.stats().meCalls()).as(counts).isOne();
		assertThat(revocations("caller-report")).as(counts).isEqualTo("1");
		assertThat(counted(this.caller.get("/actuator/prometheus").body(), "broker_logins_total", "account=\"sim\"",
				"reason=\"reported\""))
			.as(counts)
			.isEqualTo(1);
	}

	/**
	 * How much broker_token_revocations_total grew for one cause since the broker was
	 * reset for the test, as text ("0" where it was never counted).
	 */
	private String revocations(String cause) {
		String scrape = this.caller.get("/actuator/prometheus").body();
		String[] labels = { "account=\"sim\"", "cause=\"" + cause + "\"" };
		boolean ever = scrape.lines()
			.anyMatch((line) -> line.startsWith("broker_token_revocations_total{") && line.contains(labels[1]));
		return ever ? String.valueOf((long) counted(scrape, "broker_token_revocations_total", labels)) : "0";
	}

	private String counts(String limit, int failedCallers, String cause) {
		long addresses = this.sockets.stream().map(LoopbackWebSocket::from).distinct().count();
		return "REVOCATION SCENARIO (" + limit + "): sockets opened " + this.sockets.size() + " from " + addresses
				+ " address(es) with one token; closed by the limit " + closedByTheLimit() + ", tokens revoked "
				+ this.tradovate.stats().revokedTokens(USER) + "; callers failed (401) " + failedCallers + " of "
				+ CALLERS + "; /auth/me checks " + this.tradovate.stats().meCalls() + "; logins "
				+ this.tradovate.stats().loginCalls() + " (" + (this.tradovate.stats().loginCalls() - 1)
				+ " replacement); broker_token_revocations_total{cause=" + cause + "} " + revocations(cause);
	}

	@Test
	void aSixthHostRevokesTheSharedTokenWhichCallersReportAndOneLoginReplaces() throws Exception {
		String shared = sharedToken();
		openPastTheLimit(shared, sixHosts());

		reportedByItsCallers("5 addresses per user", shared);
	}

	@Test
	void oneConnectionPastTheUsersLimitRevokesTheSharedTokenAndOneLoginReplaces() throws Exception {
		String shared = sharedToken();
		openPastTheLimit(shared, oneHostPastTheConnections());

		reportedByItsCallers(MAX_CONNECTIONS + " connections per user", shared);
	}

	@Test
	void withoutReportsTheLivenessCheckFindsTheRevocation() throws Exception {
		String shared = sharedToken();
		openPastTheLimit(shared, sixHosts());

		CLOCK.advance(Duration.ofMinutes(5));
		await().until(() -> !shared.equals(this.caller.token("/token").get("accessToken").stringValue()));

		String counts = counts("5 addresses per user, no reports", 0, "liveness-check");
		System.out.println(counts);
		assertThat(this.tradovate.stats().loginCalls()).as(counts).isEqualTo(2);
		assertThat(this.tradovate.stats().successfulLogins()).as(counts).isEqualTo(2);
		assertThat(this.tradovate.stats().meCalls()).as(counts).isOne();
		assertThat(revocations("liveness-check")).as(counts).isEqualTo("1");
		assertThat(revocations("caller-report")).as(counts).isEqualTo("0");
	}

}
