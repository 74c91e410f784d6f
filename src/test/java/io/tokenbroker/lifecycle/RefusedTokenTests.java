package io.tokenbroker.lifecycle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers that got 401 from Tradovate tell the broker ({@code POST /token/refused}) and
 * get a token that works; a session closed elsewhere is also found by the broker's own
 * liveness checks. Against the embedded simulator, with 60-second tokens.
 */
@TestPropertySource(
		properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0", "broker.renewal.check-interval=20ms",
				"broker.liveness.check-interval=10s", "broker.renewal.forced-interval=30s" })
@FreshBrokerPerTest
class RefusedTokenTests extends AgainstEmbeddedSimulator {

	private static final String USER = "sim-user";

	private final BrokerCaller caller = caller("sim-demo-key");

	private final HttpClient http = HttpClient.newHttpClient();

	private String first;

	@BeforeEach
	void firstToken() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		this.first = this.caller.token("/token").get("accessToken").stringValue();
	}

	private HttpResponse<String> report(String path, String contentType, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
			.header("Authorization", "Bearer sim-demo-key")
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aReportOfATokenOfAClosedSessionIsAnsweredWithANewTokenWithinASecond() throws Exception {
		this.tradovate.closeSessions(USER);

		long started = System.nanoTime();
		HttpResponse<String> answer = report("/token/refused", "text/plain", this.first);
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
		JsonNode token = BrokerCaller.body(answer);
		assertThat(token.get("account").stringValue()).isEqualTo("sim");
		assertThat(token.get("accessToken").stringValue()).isNotEqualTo(this.first);
		// at once, not at the next liveness check (10 s); generous for a loaded machine
		assertThat(took).isLessThan(Duration.ofSeconds(5));
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		assertThat(counted(this.caller.get("/actuator/prometheus").body(), "broker_logins_total", "account=\"sim\"",
				"reason=\"reported\""))
			.isEqualTo(1);
	}

	@Test
	void aSessionClosedRightAfterACheckIsReplacedOnTheFirstReports() throws Exception {
		CLOCK.advance(Duration.ofSeconds(10));
		// the broker has taken the check's answer (the session open), not only sent it
		await().until(() -> this.caller.get("/actuator/health/tradovate/sim").body().contains("\"sessionCheckedAt\""));
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		this.tradovate.closeSessions(USER);
		// past broker.liveness.recheck-after (the floor on the rate of checks)
		CLOCK.advance(Duration.ofSeconds(5));

		List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			reports.add(CompletableFuture.supplyAsync(() -> {
				try {
					return report("/token/refused", "text/plain", this.first);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		List<String> answered = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> report : reports) {
			answered.add(BrokerCaller.body(report.join()).get("accessToken").stringValue());
		}

		assertThat(answered).doesNotContain(this.first).containsOnly(answered.get(0));
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(2);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);
	}

	@Test
	void aReportOfAnOpenSessionChecksOnceAndKeepsTheToken() throws Exception {
		HttpResponse<String> json = report("/token/sim/refused", "application/json",
				"{\"accessToken\":\"" + this.first + "\"}");
		HttpResponse<String> again = report("/token/refused", "text/plain", this.first + "\n");
		HttpResponse<String> older = report("/token/refused", "text/plain", "some-token-from-yesterday");

		assertThat(BrokerCaller.body(json).get("accessToken").stringValue()).isEqualTo(this.first);
		assertThat(BrokerCaller.body(again).get("accessToken").stringValue()).isEqualTo(this.first);
		assertThat(BrokerCaller.body(older).get("accessToken").stringValue()).isEqualTo(this.first);
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(1);
	}

	@Test
	void aReportNeedsTheRefusedTokenAndTheSameRightsAsGetToken() throws Exception {
		HttpResponse<String> empty = report("/token/refused", "text/plain", " ");
		HttpResponse<String> noToken = report("/token/refused", "application/json", "{\"token\":1}");
		HttpResponse<String> anonymous = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/token/refused"))
				.header("Content-Type", "text/plain")
				.POST(HttpRequest.BodyPublishers.ofString(this.first))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(BrokerCaller.body(empty).get("detail").stringValue()).contains("the refused access token");
		assertThat(noToken.statusCode()).isEqualTo(400);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(this.tradovate.stats().meCalls()).isZero();
	}

	@Test
	void aSessionClosedElsewhereIsReplacedWithinOneCheckInterval() {
		this.tradovate.openSession(USER);
		this.tradovate.openSession(USER);

		CLOCK.advance(Duration.ofSeconds(10));
		await().until(() -> !this.first.equals(this.caller.token("/token").get("accessToken").stringValue()));

		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
		assertThat(this.caller.get("/actuator/health/tradovate/sim").body())
			.contains("\"lastLoginReason\":\"revoked\"");
	}

	@Test
	void aValidityNoTokenCanHaveIs422AndAForcedRenewalTooSoonIs429() {
		HttpResponse<String> tooLong = this.caller.get("/token?minValidity=3600");
		assertThat(tooLong.statusCode()).isEqualTo(422);
		assertThat(BrokerCaller.body(tooLong).get("reason").stringValue()).isEqualTo("lifetime_too_short");
		assertThat(tooLong.headers().firstValue("Retry-After")).isEmpty();

		CLOCK.advance(Duration.ofSeconds(10));
		assertThat(this.caller.get("/token?minValidity=55").statusCode()).isEqualTo(200);
		CLOCK.advance(Duration.ofSeconds(10));
		HttpResponse<String> tooSoon = this.caller.get("/token?minValidity=55");

		assertThat(tooSoon.statusCode()).as(tooSoon.body()).isEqualTo(429);
		assertThat(BrokerCaller.body(tooSoon).get("reason").stringValue()).isEqualTo("renewal_limited");
		assertThat(tooSoon.headers().firstValue("Retry-After")).hasValue("20");
		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(1);
	}

}
