package io.tokenbroker.lifecycle;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whatever comes back from Tradovate (or anything pretending to be it) when a renewal is
 * due, the broker logs a clear failure and keeps serving the valid token it holds.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.retry.initial-back-off=1s", "broker.retry.max-back-off=2s",
		"broker.upstream.max-response-size=64KB",
		// two renewals a case: more than Tradovate's hourly 15 in all
		"broker.limits.renewals-per-hour=100", "simulator.limits.renewals-per-hour=0" })
@ExtendWith(OutputCaptureExtension.class)
class HostileUpstreamTests extends AgainstEmbeddedSimulator {

	private static final String JSON = "application/json";

	private final BrokerCaller caller = caller("sim-demo-key");

	static Stream<Arguments> hostileAnswers() {
		return Stream.of(Arguments.of("an HTML error page", Fault.htmlPage(502), "renewal failed: HTTP 502 (text/html"),
				Arguments.of("HTML with status 200", Fault.htmlPage(200),
						"renewal failed: HTTP 200 but the answer is not JSON"),
				Arguments.of("truncated JSON", Fault.malformedJson(),
						"renewal failed: HTTP 200 but the answer is not JSON"),
				Arguments.of("no accessToken", Fault.raw(200, JSON, "{\"expirationTime\":\"2026-01-15T09:00:00Z\"}"),
						"renewal failed: HTTP 200 but the answer lacks accessToken"),
				Arguments.of("expirationTime in the past",
						Fault.raw(200, JSON, "{\"accessToken\":\"X\",\"expirationTime\":\"2020-01-01T00:00:00Z\"}"),
						"renewal failed: expirationTime 2020-01-01T00:00:00Z is not after"),
				Arguments.of("expirationTime absurdly far ahead",
						Fault.raw(200, JSON, "{\"accessToken\":\"X\",\"expirationTime\":\"2099-01-01T00:00:00Z\"}"),
						"renewal failed: expirationTime 2099-01-01T00:00:00Z is implausibly far ahead"),
				Arguments.of("a 4 MB body", Fault.raw(200, JSON, "{\"accessToken\":\"" + "x".repeat(4 << 20) + "\"}"),
						"renewal failed: answer body exceeds the configured maximum size"),
				Arguments.of("an error text", Fault.errorText("Service busy, try later"),
						"renewal failed: Tradovate: Service busy, try later"),
				Arguments.of("a redirect", Fault.raw(302, "text/html", ""), "renewal failed: redirected (HTTP 302)"),
				Arguments.of("a server error", Fault.status(500), "renewal failed: HTTP 500"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileAnswers")
	void aHostileRenewalAnswerIsALoggedFailureThatKeepsTheToken(String name, Fault fault, String logged,
			CapturedOutput output) {
		JsonNode held = awaitToken();
		long renewals = this.tradovate.stats().successfulRenewals();
		this.tradovate.enqueue(AuthOperation.RENEW, fault);

		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> output.getOut().contains(logged));

		assertThat(this.caller.token("/token").get("accessToken")).isEqualTo(held.get("accessToken"));
		// the retry after the back-off succeeds, ready for the next case
		CLOCK.advance(Duration.ofSeconds(3));
		await().until(() -> this.tradovate.stats().successfulRenewals() == renewals + 1);
	}

	private JsonNode awaitToken() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		return this.caller.token("/token");
	}

}
