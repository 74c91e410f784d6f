package io.tokenbroker.operations;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two accounts, one of which can never log in (Tradovate refuses its password), and
 * {@code broker.readiness.require=all}: the broker is never ready, each account's health
 * says which one is in trouble, and liveness stays up.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = { "broker.readiness.require=all",
		"broker.accounts.dead.base-url=http://127.0.0.1:${server.port}/v1", "broker.accounts.dead.username=sim-user",
		"broker.accounts.dead.password=not-the-password", "broker.accounts.dead.app-id=sim-app",
		"broker.accounts.dead.cid=1", "broker.accounts.dead.secret=sim-secret" })
@ActiveProfiles("sim")
class ReadinessRequirementTests {

	private static final int PORT = FreePorts.next();

	private final BrokerCaller admin = new BrokerCaller(PORT, "sim-demo-key");

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Test
	void requiringAllAccountsKeepsTheBrokerUnreadyWhileOneNeverServed() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.admin.get("/actuator/health/tradovate/sim").statusCode() == 200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> BrokerCaller.body(this.admin.get("/actuator/health/tradovate/dead"))
				.at("/details/consecutiveFailures")
				.asInt() > 0);

		HttpResponse<String> readiness = this.admin.get("/actuator/health/readiness");

		assertThat(readiness.statusCode()).isEqualTo(503);
		JsonNode tokens = BrokerCaller.body(readiness).at("/components/tokenReadiness");
		assertThat(tokens.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(tokens.at("/details/require").stringValue()).isEqualTo("all");
		assertThat(tokens.at("/details/serving/0").stringValue()).isEqualTo("sim");
		assertThat(tokens.at("/details/notServing/0").stringValue()).isEqualTo("dead");
		JsonNode tradovate = BrokerCaller.body(this.admin.get("/actuator/health/tradovate"));
		assertThat(tradovate.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(tradovate.at("/components/sim/status").stringValue()).isEqualTo("UP");
		assertThat(tradovate.at("/components/dead/status").stringValue()).isEqualTo("DOWN");
		assertThat(tradovate.at("/components/dead/details/lastError").stringValue())
			.contains("Tradovate refused the login");
		assertThat(this.admin.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(this.admin.get("/token/sim").statusCode()).isEqualTo(200);
	}

}
