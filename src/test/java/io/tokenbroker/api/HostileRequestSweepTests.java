package io.tokenbroker.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.RawHttp;
import io.tokenbroker.testing.RawHttp.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of generated hostile requests (path tricks, wrong methods, garbled
 * credentials, odd media types, oversized parts, bodies where none belong) sent as raw
 * bytes. Every one gets an answer below 500; every refusal is a problem detail with no
 * stack trace and no key.
 */
@TestPropertySource(properties = { "broker.security.free-failures=1000000", "broker.accounts.sim.device-id=sweep" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestSweepTests extends AgainstEmbeddedSimulator {

	private static final String KEY = "sim-demo-key";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> PATHS = List.of("/token", "/token/sim", "/token/nobody", "/token/SIM",
			"/token/%73im", "/token/..%2Fsim", "/token/%2e%2e/token", "/token/%2E%2E%2Factuator%2Fenv", "/token/sim%00",
			"/token/sim%0d%0aX-Injected:%201", "/token/%zz", "//token", "/token/", "/token/sim/extra", "/token;x=1",
			"/token/sim;jsessionid=abc", "/token%5Csim", "/token/\u00fcn\u00efcode", "/token/%C3%A9",
			"/token/" + "a".repeat(2000), "/token?minValidity=-1", "/token?minValidity=abc", "/token?minValidity=1e3",
			"/token?minValidity=99999999999999999999", "/token?minValidity=", "/token?minValidity=5&minValidity=6",
			"/token?minValidity=%00", "/token?minValidity=86401", "/token?" + "x=1&".repeat(800), "/actuator",
			"/actuator/env", "/actuator/health/../env", "/actuator/heapdump", "/error", "/", "/favicon.ico",
			"/v2/token", "/TOKEN", "/token.json", "/token/sim.json", "/token/*", "/token/%2A",
			"/token/sim?callback=alert(1)", "/%7e/token", "/token/" + "%41".repeat(100));

	private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
			"TRACE", "FOO");

	private static final List<String> AUTHORIZATIONS = List.of("", "Authorization: Bearer " + KEY,
			"Authorization: Bearer wrong-key", "Authorization: Basic c2ltOmRlbW8=", "Authorization: Bearer",
			"Authorization: Bearer " + "k".repeat(300), "Authorization: Bearer a b", "Authorization: bearer " + KEY,
			"Authorization: Bearer \u00e9\u00e8", "Authorization: Bearer " + KEY + "\u0001",
			"Authorization: Token " + KEY, "Authorization: Bearer " + KEY + "\r\nAuthorization: Bearer other",
			"Authorization: " + "B".repeat(5000));

	private static final List<String> ACCEPTS = List.of("", "Accept: */*", "Accept: application/json",
			"Accept: text/plain", "Accept: application/xml", "Accept: garbage///", "Accept: application/json;q=0",
			"Accept: text/html", "Accept: image/*", "Accept: application/problem+json",
			"Accept: text/*;q=0.1, */*;q=0");

	@BeforeAll
	void firstToken() {
		BrokerCaller caller = caller(KEY);
		await().until(() -> caller.get("/token").statusCode() == 200);
	}

	@TestFactory
	Stream<DynamicTest> everyHostileRequestGetsAClearFourHundredAnswer() {
		List<DynamicTest> cases = new ArrayList<>();
		for (String path : PATHS) {
			for (String method : List.of("GET", "POST", "HEAD")) {
				cases.add(request(method + " " + abbreviate(path), method + " " + path + " HTTP/1.1",
						"Authorization: Bearer " + KEY, ""));
			}
			cases.add(request("anonymous GET " + abbreviate(path), "GET " + path + " HTTP/1.1", "", ""));
		}
		for (String method : METHODS) {
			for (String path : List.of("/token", "/token/sim", "/actuator/health", "/actuator/prometheus")) {
				cases.add(request(method + " " + path, method + " " + path + " HTTP/1.1",
						"Authorization: Bearer " + KEY, ""));
			}
		}
		for (String authorization : AUTHORIZATIONS) {
			for (String path : List.of("/token", "/token/sim", "/actuator/prometheus", "/actuator/health")) {
				cases.add(request(abbreviate(authorization) + " " + path, "GET " + path + " HTTP/1.1", authorization,
						""));
			}
		}
		for (String accept : ACCEPTS) {
			for (String path : List.of("/token", "/token/nobody", "/token?minValidity=-1")) {
				cases.add(request(accept + " " + path, "GET " + path + " HTTP/1.1",
						"Authorization: Bearer " + KEY + "\r\n" + accept, ""));
			}
		}
		cases.add(request("GET with a body", "GET /token HTTP/1.1",
				"Authorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: 13",
				"{\"a\":\"b\"}    "));
		cases.add(request("GET with a chunked body", "GET /token HTTP/1.1",
				"Authorization: Bearer " + KEY + "\r\nTransfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n"));
		cases.add(request("a 20 KB header", "GET /token HTTP/1.1",
				"Authorization: Bearer " + KEY + "\r\nX-Padding: " + "p".repeat(20_000), ""));
		cases.add(request("a 100 KB header", "GET /token HTTP/1.1",
				"Authorization: Bearer " + KEY + "\r\nX-Padding: " + "p".repeat(100_000), ""));
		cases.add(request("200 small headers", "GET /token HTTP/1.1",
				"Authorization: Bearer " + KEY + "\r\n" + "X-H: v\r\n".repeat(199) + "X-H: v", ""));
		cases.add(request("a form post", "POST /token HTTP/1.1",
				"Authorization: Bearer " + KEY
						+ "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13",
				"minValidity=1"));
		cases.add(request("HTTP/1.0 without Host", "GET /token HTTP/1.0", "Authorization: Bearer " + KEY, ""));
		cases.add(request("a garbled request line", "GET /token HTTP/9.9", "Authorization: Bearer " + KEY, ""));
		cases.add(request("an absolute URI to another host", "GET http://attacker.invalid/token HTTP/1.1",
				"Authorization: Bearer " + KEY, ""));
		return cases.stream();
	}

	private static DynamicTest request(String name, String requestLine, String headers, String body) {
		return DynamicTest.dynamicTest(name, () -> {
			String head = requestLine + (requestLine.endsWith("HTTP/1.0") ? "" : "\r\nHost: localhost")
					+ (headers.isEmpty() ? "" : "\r\n" + headers);
			Answer answer = RawHttp.exchange(PORT, head, body.getBytes(StandardCharsets.UTF_8));
			assertClear(requestLine, answer);
		});
	}

	private static void assertClear(String requestLine, Answer answer) throws IOException {
		// Tomcat answers an unknown HTTP version with the one fitting status, 505
		int highest = requestLine.endsWith("HTTP/9.9") ? 505 : 499;
		assertThat(answer.status()).as("status").isBetween(200, highest);
		assertThat(answer.body()).doesNotContain(KEY + "\"");
		if (answer.status() >= 400 && !requestLine.startsWith("HEAD")) {
			assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
			assertThat(answer.headers().get("content-type")).as("content type").startsWith("application/problem+json");
			JsonNode problem = json.readTree(answer.body());
			assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
			assertThat(problem.get("title").stringValue()).isNotBlank();
			assertThat(problem.get("detail").stringValue()).isNotBlank();
		}
	}

	private static String abbreviate(String text) {
		String printable = text.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > 60) ? printable.substring(0, 60) + "..." : printable;
	}

}
