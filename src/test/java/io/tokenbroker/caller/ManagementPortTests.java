package io.tokenbroker.caller;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator on its own port bound to a private address: the probes stay open, everything
 * else still needs an admin client, and the main port no longer serves it.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.server.address=127.0.0.1",
				"broker.accounts.main.base-url=http://127.0.0.1:9/v1", "broker.accounts.main.username=trader",
				"broker.accounts.main.password=pw", "broker.accounts.main.app-id=app", "broker.accounts.main.cid=1",
				"broker.accounts.main.secret=s",
				// SHA-256 of "admin-key" and of "bot-key"
				"broker.clients.ops.key-sha256=69a5265506c94c77b787a7d7377b7685a0eff82e33920a71e7ee22cd6154953e",
				"broker.clients.ops.admin=true",
				"broker.clients.bot.key-sha256=3a1fb6628e3632ba5935f8317570b197c8b3d576dd619f1c6fd917efc3fa6366",
				"broker.clients.bot.accounts=main" })
class ManagementPortTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void probesAreOpenOnTheManagementPort() {
		BrokerCaller anonymous = new BrokerCaller(this.managementPort, "unused");

		assertThat(anonymous.get("/actuator/health/liveness", "Authorization", null).statusCode()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health/readiness", "Authorization", null).statusCode()).isIn(200, 503);
	}

	@Test
	void everythingElseNeedsAnAdminClient() {
		assertThat(new BrokerCaller(this.managementPort, "unused").get("/actuator/prometheus", "Authorization", null)
			.statusCode()).isEqualTo(401);
		assertThat(new BrokerCaller(this.managementPort, "bot-key").get("/actuator/prometheus").statusCode())
			.isEqualTo(403);
		assertThat(new BrokerCaller(this.managementPort, "admin-key").get("/actuator/prometheus").statusCode())
			.isEqualTo(200);
	}

	@Test
	void theMainPortNoLongerServesActuator() {
		assertThat(new BrokerCaller(this.port, "admin-key").get("/actuator/prometheus").statusCode()).isEqualTo(404);
	}

}
