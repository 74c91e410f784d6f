package io.tokenbroker.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST gateway in the demo profile, against its embedded simulator over real HTTP:
 * Tradovate's answers as Tradovate gives them to its own token, the rights and scopes of
 * client keys, a closed session replaced and the call sent once more, and the gateway's
 * metrics under their documented names.
 */
@TestPropertySource(properties = { "broker.liveness.recheck-after=1s",
		// SHA-256 of "watcher-key": every account, not the gateway
		"broker.clients.watcher.key-sha256=8c921924dd1544d43d5f735d62925ec64593b027133564d240d3403dfea6cf1e",
		"broker.clients.watcher.accounts=*",
		// SHA-256 of "stranger-key": the gateway, no account
		"broker.clients.stranger.key-sha256=96fbe991904da033d08b8e7a208f893914d56cc10d96503b7a5d4bd0b3ea0101",
		"broker.clients.stranger.gateway=true" })
class GatewayRestTests extends AgainstEmbeddedSimulator {

	private final BrokerCaller demo = caller("sim-demo-key");

	@BeforeEach
	void tokenHeld() {
		await().until(() -> this.demo.get("/token").statusCode() == 200);
	}

	@Test
	void aCallerWithItsKeyGetsWhatTradovateAnswersItsToken() throws Exception {
		String token = this.demo.get("/token", "Accept", "text/plain").body();
		HttpResponse<String> direct = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/v1/account/list"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());

		HttpResponse<String> accounts = this.demo.get("/tradovate/sim/account/list");
		HttpResponse<String> contract = this.demo.get("/tradovate/sim/contract/find?name=ESM6");
		HttpResponse<String> snapshot = this.demo.post("/tradovate/sim/user/syncrequest", "application/json",
				"{\"users\":[1]}");
		HttpResponse<String> unknown = this.demo.get("/tradovate/sim/nothing/here");

		assertThat(accounts.statusCode()).isEqualTo(200);
		assertThat(accounts.body()).isEqualTo(direct.body());
		assertThat(accounts.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(BrokerCaller.body(contract).get("name").asString()).isEqualTo("ESM6");
		assertThat(BrokerCaller.body(snapshot).has("cashBalances")).isTrue();
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("\"Not found: nothing/here\"");
	}

	@Test
	void theKeyItsGatewayRightAndItsAccountsDecide() {
		HttpResponse<String> noKey = this.demo.get("/tradovate/sim/account/list", "Authorization", null);
		HttpResponse<String> wrongKey = caller("not-a-key").get("/tradovate/sim/account/list");
		HttpResponse<String> noRight = caller("watcher-key").get("/tradovate/sim/account/list");
		HttpResponse<String> noAccount = caller("stranger-key").get("/tradovate/sim/account/list");
		HttpResponse<String> noSuchAccount = this.demo.get("/tradovate/nobody/account/list");

		assertThat(noKey.statusCode()).isEqualTo(401);
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		assertThat(noRight.statusCode()).isEqualTo(403);
		assertThat(noAccount.statusCode()).isEqualTo(403);
		assertThat(noSuchAccount.statusCode()).isEqualTo(404);
		for (HttpResponse<String> refused : List.of(noKey, wrongKey, noRight, noAccount, noSuchAccount)) {
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
	}

	@Test
	void aClosedSessionIsReplacedByOneLoginAndTheCallSentOnceMore() {
		long logins = this.tradovate.stats().successfulLogins();
		long listed = this.tradovate.stats().requests("account/list");
		this.tradovate.closeSessions("sim-user");

		HttpResponse<String> answer = this.demo.get("/tradovate/sim/account/list");

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(logins + 1);
		// the call refused with the old token, and the one resend with the new
		assertThat(this.tradovate.stats().requests("account/list")).isEqualTo(listed + 1);
		assertThat(this.demo.get("/actuator/prometheus").body())
			.contains("broker_gateway_resends_total{account=\"sim\",outcome=\"resent\"} 1.0");
	}

	@Test
	void theGatewaysMetricsHaveStableNames() {
		this.demo.get("/tradovate/sim/user/list");
		this.demo.get("/tradovate/sim/auth/renewaccesstoken");

		String metrics = this.demo.get("/actuator/prometheus").body();

		assertThat(metrics).contains("broker_gateway_requests_total{account=\"sim\",kind=\"rest\"}")
			.contains("broker_gateway_answers_total{account=\"sim\",status=\"200\"}")
			.contains("broker_gateway_upstream_latency_seconds_count{account=\"sim\"}")
			.contains("broker_gateway_refusals_total{account=\"sim\",reason=\"reserved-endpoint\"}")
			.contains("broker_gateway_sockets_fleet{account=\"sim\"}");
	}

}
