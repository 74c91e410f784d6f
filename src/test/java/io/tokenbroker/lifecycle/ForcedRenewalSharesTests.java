package io.tokenbroker.lifecycle;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreshBrokerPerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19, finding 2: what callers can force of Tradovate's 15 renewals an hour
 * ({@code minValidity} the held token cannot meet) is shared per client and per account,
 * so that a client scoped to one account cannot spend what another account's callers and
 * the operator need, and a refused request spends nothing. Two accounts ({@code sim},
 * {@code alt}) with 80-minute tokens; clients {@code alpha} and {@code gamma} may read
 * {@code sim}, {@code beta} may read {@code alt}; the demo key is the admin.
 */
@TestPropertySource(properties = { "broker.renewal.jitter=0", "broker.renewal.check-interval=20ms",
		"broker.liveness.check-interval=0s" })
@FreshBrokerPerTest
class ForcedRenewalSharesTests extends AgainstEmbeddedSimulator {

	/** Valid for 4790 s: more than a token has a minute after it was issued. */
	private static final String LONG_VALIDITY = "?minValidity=4790";

	@DynamicPropertySource
	static void accountsAndClients(DynamicPropertyRegistry registry) {
		simulatorUser(registry, "simuser", "sim-user");
		simulatorUser(registry, "altuser", "alt-user");
		String account = "broker.accounts.alt.";
		registry.add(account + "base-url", () -> "http://127.0.0.1:" + PORT + "/v1");
		registry.add(account + "username", () -> "alt-user");
		registry.add(account + "password", () -> "sim-password");
		registry.add(account + "app-id", () -> "sim-app");
		registry.add(account + "cid", () -> "1");
		registry.add(account + "secret", () -> "sim-secret");
		registry.add("broker.default-account", () -> "sim");
		client(registry, "alpha", "sim");
		client(registry, "gamma", "sim");
		client(registry, "beta", "alt");
	}

	private static void simulatorUser(DynamicPropertyRegistry registry, String key, String name) {
		String user = "simulator.users." + key + ".";
		registry.add(user + "name", () -> name);
		registry.add(user + "password", () -> "sim-password");
		registry.add(user + "app-id", () -> "sim-app");
		registry.add(user + "cid", () -> "1");
		registry.add(user + "secret", () -> "sim-secret");
	}

	private static void client(DynamicPropertyRegistry registry, String id, String account) {
		registry.add("broker.clients." + id + ".key-sha256", () -> CallerKeys.hash(id + "-key"));
		registry.add("broker.clients." + id + ".accounts", () -> account);
	}

	@Test
	void aClientForcingRenewalsOfOneAccountLeavesOtherAccountsAndTheOperatorTheirShare() {
		BrokerCaller alpha = caller("alpha-key");
		BrokerCaller admin = caller("sim-demo-key");
		await().until(() -> admin.get("/token/sim").statusCode() == 200 && admin.get("/token/alt").statusCode() == 200);

		int forced = 0;
		HttpResponse<String> refused = null;
		for (int attempt = 0; attempt < 13 && refused == null; attempt++) {
			// past broker.renewal.forced-interval (1 minute per account)
			CLOCK.advance(Duration.ofSeconds(61));
			HttpResponse<String> answer = alpha.get("/token/sim" + LONG_VALIDITY);
			if (answer.statusCode() == 200) {
				forced++;
			}
			else {
				refused = answer;
			}
		}
		long renewals = this.tradovate.stats().renewalCalls();
		HttpResponse<String> again = alpha.get("/token/sim" + LONG_VALIDITY);
		CLOCK.advance(Duration.ofSeconds(61));
		HttpResponse<String> otherClientSameAccount = caller("gamma-key").get("/token/sim" + LONG_VALIDITY);

		assertThat(forced).as("renewals alpha forced").isEqualTo(4);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(BrokerCaller.body(refused).get("reason").stringValue()).isEqualTo("renewal_limited");
		assertThat(BrokerCaller.body(refused).get("detail").stringValue()).contains("broker.renewal.forced-per-client");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(again.statusCode()).isEqualTo(429);
		assertThat(otherClientSameAccount.statusCode()).isEqualTo(429);
		assertThat(BrokerCaller.body(otherClientSameAccount).get("detail").stringValue())
			.contains("broker.renewal.forced-per-account");
		assertThat(this.tradovate.stats().renewalCalls()).as("refused requests spend nothing").isEqualTo(renewals);

		assertThat(caller("beta-key").get("/token/alt" + LONG_VALIDITY).statusCode()).isEqualTo(200);
		assertThat(admin.send("POST", "/actuator/tokens/alt").statusCode()).isEqualTo(200);
		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(renewals + 2);
	}

	@Test
	void aValidityNoRenewalCanServeIsRefusedWithoutRenewing() {
		BrokerCaller alpha = caller("alpha-key");
		await().until(() -> alpha.get("/token/sim").statusCode() == 200);
		// a renewal half a second past Tradovate's whole second: its token lives 4800.5 s
		// by Tradovate's Date header, and is served with 4799.5 s left
		CLOCK.advance(Duration.ofMillis(61_500));
		assertThat(alpha.get("/token/sim" + LONG_VALIDITY).statusCode()).isEqualTo(200);
		CLOCK.advance(Duration.ofSeconds(61));
		long renewals = this.tradovate.stats().renewalCalls();

		HttpResponse<String> answer = alpha.get("/token/sim?minValidity=4800");

		assertThat(answer.statusCode()).isEqualTo(422);
		assertThat(BrokerCaller.body(answer).get("reason").stringValue()).isEqualTo("lifetime_too_short");
		assertThat(this.tradovate.stats().renewalCalls()).as("renewals").isEqualTo(renewals);
	}

}
