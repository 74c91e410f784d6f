package io.tokenbroker.lifecycle;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreshBrokerPerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tradovate may answer a dead token with HTTP 200 and an {@code errorText} instead of
 * 401, on {@code /auth/me} and on renewal (its OpenAPI description allows both): the
 * broker takes it for a closed session all the same, and replaces it with exactly one
 * login. Against the embedded simulator answering dead tokens that way, with 60-second
 * tokens and no periodic liveness check.
 */
@TestPropertySource(properties = { "simulator.dead-token-answer=error-text", "simulator.token-lifetime=60s",
		"broker.renewal.jitter=0", "broker.renewal.check-interval=20ms", "broker.liveness.check-interval=0s" })
@FreshBrokerPerTest
class DeadTokenAnswerTests extends AgainstEmbeddedSimulator {

	private static final String USER = "sim-user";

	private final BrokerCaller caller = caller("sim-demo-key");

	private String first;

	@BeforeEach
	void firstToken() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		this.first = this.caller.token("/token").get("accessToken").stringValue();
	}

	private double revocations(String cause) {
		return counted(this.caller.get("/actuator/prometheus").body(), "broker_token_revocations_total",
				"account=\"sim\"", "cause=\"" + cause + "\"");
	}

	@Test
	void aCheckAnswered200WithAnErrorTextLeadsToExactlyOneNewLogin() {
		this.tradovate.closeSessions(USER);

		String replaced = BrokerCaller.body(this.caller.post("/token/refused", "text/plain", this.first))
			.get("accessToken")
			.stringValue();

		assertThat(replaced).isNotEqualTo(this.first);
		assertThat(this.caller.token("/token").get("accessToken").stringValue()).isEqualTo(replaced);
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);
		assertThat(revocations("caller-report")).isEqualTo(1);
	}

	@Test
	void aRenewalAnswered200WithAnErrorTextIsCheckedOnceThenReplacedByOneLogin() {
		this.tradovate.closeSessions(USER);

		// renewal is due about 41 s into a 60-second token
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> !this.first.equals(this.caller.token("/token").get("accessToken").stringValue()));

		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().meCalls()).isEqualTo(1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);
		assertThat(revocations("renewal")).isEqualTo(1);
		assertThat(this.caller.get("/actuator/health/tradovate/sim").body())
			.contains("\"lastLoginReason\":\"revoked\"");
	}

}
