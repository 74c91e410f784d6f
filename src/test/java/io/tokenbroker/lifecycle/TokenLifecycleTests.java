package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker in its embedded default (profile {@code sim}) with 60-second tokens: renewal
 * is due 15 s before expiry. Each test gets a fresh broker and simulator; the clock moves
 * only when a test moves it, while the renewal schedule ticks every 20 ms.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.retry.initial-back-off=2s", "broker.retry.max-back-off=10s",
		"broker.upstream.timeout=2s", "broker.wait-for-token=5s", "broker.renewal.forced-interval=1s" })
@FreshBrokerPerTest
class TokenLifecycleTests extends AgainstEmbeddedSimulator {

	private static final String USER = "sim-user";

	private final BrokerCaller caller = caller("sim-demo-key");

	private JsonNode first;

	@BeforeEach
	void firstToken() {
		this.first = awaitToken("/token");
	}

	@Test
	void theFirstLoginHappensInTheBackgroundAndItsTokenIsServed() {
		assertThat(this.first.get("account").stringValue()).isEqualTo("sim");
		assertThat(this.first.get("accessToken").stringValue()).isNotBlank();
		assertThat(this.first.get("mdAccessToken").stringValue()).isNotBlank();
		assertThat(this.first.get("userId").isNumber()).isTrue();
		assertThat(this.first.get("expiresIn").asLong()).isBetween(55L, 60L);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(1);
	}

	@Test
	void theTokenIsRenewedBeforeItExpiresOnTheSameSession() {
		CLOCK.advance(Duration.ofSeconds(46));

		await().until(() -> this.tradovate.stats().successfulRenewals() == 1);
		JsonNode renewed = this.caller.token("/token");

		assertThat(renewed.get("accessToken")).isNotEqualTo(this.first.get("accessToken"));
		assertThat(renewed.get("expiresIn").asLong()).isBetween(55L, 60L);
		// the simulator's renewals carry no market-data token: the login's is kept
		assertThat(renewed.get("mdAccessToken")).isEqualTo(this.first.get("mdAccessToken"));
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(1);
		assertThat(this.tradovate.activeSessions(USER)).isEqualTo(1);
	}

	@Test
	void twoHundredConcurrentCallersDuringALoginCauseOneUpstreamCall() {
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.delay(Duration.ofSeconds(1)));
		long loginsBefore = this.tradovate.stats().loginCalls();
		CLOCK.advance(Duration.ofSeconds(61));

		List<HttpResponse<String>> responses = concurrently(200, "/token");

		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).isEqualTo(200));
		assertThat(distinctAccessTokens(responses)).hasSize(1).doesNotContain(text(this.first, "accessToken"));
		assertThat(this.tradovate.stats().loginCalls() - loginsBefore).isEqualTo(1);
		assertThat(this.tradovate.stats().renewalCalls()).isZero();
	}

	@Test
	void twoHundredConcurrentCallersDuringARenewalCauseOneUpstreamCall() {
		this.tradovate.enqueue(AuthOperation.RENEW, Fault.delay(Duration.ofSeconds(1)));
		CLOCK.advance(Duration.ofSeconds(30));

		// 29 s are left and each caller needs 40: all of them wait for one renewal
		List<HttpResponse<String>> responses = concurrently(200, "/token?minValidity=40");

		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).isEqualTo(200));
		assertThat(distinctAccessTokens(responses)).hasSize(1).doesNotContain(text(this.first, "accessToken"));
		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(1);
	}

	@Test
	void timeoutsKeepTheOldTokenServed() {
		this.tradovate.stick(AuthOperation.RENEW, Fault.delay(Duration.ofSeconds(4)));
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().renewalCalls() == 1);

		// the renewal in flight times out after 2 s: meanwhile and after, the token is
		// served
		assertThat(this.caller.token("/token").get("accessToken")).isEqualTo(this.first.get("accessToken"));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.caller.get("/actuator/health").statusCode() == 200
					&& this.caller.get("/token").body().contains(text(this.first, "accessToken")));
		assertThat(this.tradovate.stats().successfulRenewals()).isEqualTo(1);
	}

	@Test
	void aCaptchaStopsEveryCallForTheCoolDown() {
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(30), true));
		CLOCK.advance(Duration.ofSeconds(61));
		await().until(() -> this.tradovate.stats().captchasIssued() == 1);

		HttpResponse<String> refused = this.caller.get("/token");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(BrokerCaller.body(refused).get("reason").stringValue()).isEqualTo("captcha_required");
		assertThat(BrokerCaller.body(refused).get("detail").stringValue()).contains("captcha");
		assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(3500L, 3600L);
		assertNoCallFor(Duration.ofMinutes(59));

		CLOCK.advance(Duration.ofMinutes(2));
		awaitToken("/token");
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(longs = { 3600, -3600 })
	void aTradovateClockAnHourOffChangesNothing(long offsetSeconds) {
		this.tradovate.setClockOffset(Duration.ofSeconds(offsetSeconds));
		CLOCK.advance(Duration.ofSeconds(61));
		await().until(() -> this.tradovate.stats().successfulLogins() == 2);

		JsonNode skewed = this.caller.token("/token");
		assertThat(skewed.get("expiresIn").asLong()).isBetween(55L, 60L);
		// the renewal comes before Tradovate's expiry, so Tradovate accepts it
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().successfulRenewals() == 1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);
	}

	private void assertNoCallFor(Duration duration) {
		long calls = this.tradovate.stats().loginCalls() + this.tradovate.stats().renewalCalls();
		CLOCK.advance(duration);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.tradovate.stats().loginCalls() + this.tradovate.stats().renewalCalls() == calls);
	}

	private JsonNode awaitToken(String path) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.caller.get(path).statusCode() == 200);
		return this.caller.token(path);
	}

	private List<HttpResponse<String>> concurrently(int callers, String path) {
		List<CompletableFuture<HttpResponse<String>>> pending = IntStream.range(0, callers)
			.mapToObj((i) -> this.caller.getAsync(path))
			.toList();
		return pending.stream().map(CompletableFuture::join).toList();
	}

	private static Set<String> distinctAccessTokens(List<HttpResponse<String>> responses) {
		return responses.stream()
			.map((response) -> text(BrokerCaller.body(response), "accessToken"))
			.collect(Collectors.toSet());
	}

	private static String text(JsonNode node, String field) {
		return node.get(field).stringValue();
	}

}
