package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Tradovate's text goes into logs, the audit, problem details, {@code /actuator/tokens}
 * and health details: a refusal that echoes the tokens of the request (the access token
 * and the market-data token held) reaches none of them with a token in it.
 */
@TestPropertySource(properties = "management.endpoints.web.exposure.include=health,tokens")
@ExtendWith(OutputCaptureExtension.class)
class EchoedTokenTests extends AgainstEmbeddedSimulator {

	private final BrokerCaller admin = caller("sim-demo-key");

	@Test
	void aRefusalEchoingTheHeldTokensShowsThemNowhere(CapturedOutput output) {
		await().until(() -> this.admin.get("/token").statusCode() == 200);
		JsonNode held = this.admin.token("/token");
		String access = held.get("accessToken").asString();
		String marketData = held.get("mdAccessToken").asString();
		this.tradovate.stick(AuthOperation.RENEW,
				Fault.errorText("Token " + access + " (market data " + marketData + ") is not valid for renewal"));

		List<String> answers = new ArrayList<>();
		// a minute on, the token held is no longer valid long enough: a renewal is forced
		CLOCK.advance(Duration.ofMinutes(1));
		HttpResponse<String> forced = this.admin.get("/token?minValidity=4790");
		answers.add(forced.body());
		await().until(() -> output.getOut().contains("renewal failed: Tradovate: Token"));
		answers.add(this.admin.get("/actuator/tokens").body());
		answers.add(this.admin.get("/actuator/health").body());
		answers.add(this.admin.get("/actuator/health/tradovate/sim").body());
		this.tradovate.clearFaults();

		assertThat(forced.statusCode()).isEqualTo(503);
		assertThat(forced.body()).contains("renewal failed: Tradovate: Token");
		for (String token : List.of(access, marketData)) {
			assertThat(output.getOut()).doesNotContain(token).doesNotContain(token.substring(0, 40));
			assertThat(answers).allSatisfy((answer) -> assertThat(answer).doesNotContain(token.substring(0, 40)));
		}
	}

}
