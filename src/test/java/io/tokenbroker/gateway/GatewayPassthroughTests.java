package io.tokenbroker.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST gateway against a scripted Tradovate that records what arrives: exactly what a
 * caller sent passes (method, path, query, body, the relevant headers) with the broker's
 * token in place of the caller's key, and Tradovate's answer comes back as it was; a 401
 * is resent once when, and only when, a new token replaced the refused one; a penalty
 * holds its endpoint for its p-time; large answers pass whole, too large ones are refused
 * (never cut off unseen); a Tradovate that does not answer in time gets the caller a 504.
 */
@Tag("application")
class GatewayPassthroughTests {

	private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private static final MockWebServer server = new MockWebServer();

	private static final ScriptedUpstream tradovate = new ScriptedUpstream(CLOCK);

	private static Brokers.Started broker;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws IOException {
		server.setDispatcher(tradovate);
		server.start(InetAddress.getLoopbackAddress(), 0);
		broker = Brokers.broker(CLOCK, server.getPort(), List.of("main"), "broker.gateway.enabled=true",
				"broker.clients.fleet.gateway=true", "broker.store.type=memory", "broker.gateway.timeout=2s",
				"broker.gateway.max-response-size=256KB", "broker.liveness.recheck-after=1s",
				"broker.liveness.check-interval=0s");
	}

	@AfterAll
	static void stop() {
		broker.close();
		server.close();
	}

	@BeforeEach
	void reset() {
		await().until(() -> call("GET", "/token/main", null).statusCode() == 200);
		tradovate.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" })
	void eachMethodPassesAsItWasSentWithTheBrokersTokenInsteadOfTheKey(String method) throws Exception {
		boolean body = List.of("POST", "PUT", "PATCH").contains(method);
		MockResponse.Builder scripted = new MockResponse.Builder().code(201)
			.addHeader("Content-Type", "application/json")
			.addHeader("X-Tradovate", "kept")
			.addHeader("Set-Cookie", "lb=1");
		tradovate.answer(
				method.equals("HEAD") ? scripted.build() : scripted.body("{\"method\":\"" + method + "\"}").build());
		HttpRequest.Builder request = request("/tradovate/main/order/placeOrder?accountId=7&note=a%20b")
			.header("Cookie", "session=caller")
			.header("X-Caller", "private")
			.header("Accept", "application/json")
			.method(method,
					body ? BodyPublishers.ofString("{\"symbol\":\"ESM6\",\"orderQty\":2}") : BodyPublishers.noBody());
		if (body) {
			request.header("Content-Type", "application/json");
		}

		HttpResponse<String> answer = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());

		RecordedRequest sent = tradovate.calls().get(0);
		assertThat(sent.getMethod()).isEqualTo(method);
		assertThat(sent.getTarget()).isEqualTo("/v1/order/placeOrder?accountId=7&note=a%20b");
		assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer T" + tradovate.logins());
		assertThat(sent.getHeaders().get("Cookie")).isNull();
		assertThat(sent.getHeaders().get("X-Caller")).isNull();
		assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat((sent.getBody() != null) ? sent.getBody().utf8() : "")
			.isEqualTo(body ? "{\"symbol\":\"ESM6\",\"orderQty\":2}" : "");
		assertThat(answer.statusCode()).isEqualTo(201);
		assertThat(answer.headers().firstValue("X-Tradovate")).hasValue("kept");
		assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(answer.body()).isEqualTo(method.equals("HEAD") ? "" : "{\"method\":\"" + method + "\"}");
	}

	@Test
	void a401IsSentOnceMoreWhenANewTokenReplacedTheRefusedOne() throws Exception {
		int logins = tradovate.logins();
		tradovate.answer(new MockResponse.Builder().code(401).build());
		tradovate.meAnswers(401);

		HttpResponse<String> answer = call("POST", "/tradovate/main/order/placeOrder", "{\"orderQty\":1}");

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(tradovate.calls()).hasSize(2);
		assertThat(tradovate.calls().get(0).getHeaders().get("Authorization")).isEqualTo("Bearer T" + logins);
		assertThat(tradovate.calls().get(1).getHeaders().get("Authorization")).isEqualTo("Bearer T" + (logins + 1));
		assertThat(tradovate.calls().get(1).getBody().utf8()).isEqualTo("{\"orderQty\":1}");
		assertThat(tradovate.logins()).isEqualTo(logins + 1);
	}

	@Test
	void a401WhileTheTokenIsStillGoodReachesTheCallerAsItCame() throws Exception {
		int logins = tradovate.logins();
		tradovate.answer(new MockResponse.Builder().code(401).body("Access is denied").build());

		HttpResponse<String> answer = call("GET", "/tradovate/main/account/list", null);

		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.body()).isEqualTo("Access is denied");
		assertThat(tradovate.calls()).hasSize(1);
		assertThat(tradovate.logins()).isEqualTo(logins);
	}

	@Test
	void aPenaltyReachesItsCallerAsItCameAndHoldsTheEndpointForItsPTime() throws Exception {
		String penalty = "{\"p-ticket\":\"ticket-1\",\"p-time\":5}";
		tradovate.answer(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(penalty)
			.build());

		HttpResponse<String> first = call("POST", "/tradovate/main/user/syncRequest", "{}");
		HttpResponse<String> held = call("POST", "/tradovate/main/user/syncrequest", "{}");
		HttpResponse<String> other = call("GET", "/tradovate/main/account/list", null);
		CLOCK.advance(Duration.ofSeconds(5));
		HttpResponse<String> after = call("POST", "/tradovate/main/user/syncrequest", "{}");

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo(penalty);
		assertThat(held.statusCode()).isEqualTo(429);
		assertThat(held.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(held.body()).contains("gateway-endpoint-held");
		assertThat(other.statusCode()).isEqualTo(200);
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(tradovate.calls()).extracting(RecordedRequest::getTarget)
			.containsExactly("/v1/user/syncRequest", "/v1/account/list", "/v1/user/syncrequest");
	}

	@Test
	void aLargeAnswerPassesWholeAndOneOverTheLimitIsRefusedNeverCutOff() throws Exception {
		String large = "x".repeat(200 * 1024);
		tradovate.answer(new MockResponse.Builder().code(200).body(large).build());
		tradovate.answer(new MockResponse.Builder().code(200).chunkedBody(large, 8192).build());
		tradovate.answer(new MockResponse.Builder().code(200).body("y".repeat(300 * 1024)).build());
		tradovate.answer(new MockResponse.Builder().code(200).chunkedBody("z".repeat(300 * 1024), 8192).build());

		assertThat(call("GET", "/tradovate/main/contract/list", null).body()).isEqualTo(large);
		assertThat(call("GET", "/tradovate/main/contract/list", null).body()).isEqualTo(large);
		HttpResponse<String> declared = call("GET", "/tradovate/main/contract/list", null);
		assertThat(declared.statusCode()).isEqualTo(502);
		assertThat(declared.body()).contains("gateway-answer-too-large");
		// of unknown length, it is read whole first, and refused whole
		HttpResponse<String> unknown = call("GET", "/tradovate/main/contract/list", null);
		assertThat(unknown.statusCode()).isEqualTo(502);
		assertThat(unknown.body()).contains("gateway-answer-too-large");
	}

	@Test
	void aTradovateThatDoesNotAnswerInTimeGetsTheCallerA504() throws Exception {
		tradovate.answer(new MockResponse.Builder().code(200).headersDelay(4, TimeUnit.SECONDS).build());

		HttpResponse<String> answer = call("GET", "/tradovate/main/account/list", null);

		assertThat(answer.statusCode()).isEqualTo(504);
		assertThat(answer.body()).contains("may have been processed");
	}

	@Test
	void loginsAndRenewalsAreTheBrokersOwnAndBadPathsAreRefused() throws Exception {
		assertThat(call("POST", "/tradovate/main/auth/accessTokenRequest", "{}").statusCode()).isEqualTo(403);
		assertThat(call("GET", "/tradovate/main/auth/renewaccesstoken", null).statusCode()).isEqualTo(403);
		assertThat(call("GET", "/tradovate/main/account%20list", null).statusCode()).isEqualTo(400);
		assertThat(tradovate.calls()).isEmpty();
	}

	private HttpResponse<String> call(String method, String path, String body) throws IOException {
		HttpRequest.Builder request = request(path);
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body));
		}
		else {
			request.method(method, BodyPublishers.noBody());
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port() + path))
			.header("Authorization", "Bearer " + Brokers.KEY)
			.timeout(Duration.ofSeconds(30));
	}

}
