package io.tokenbroker.lifecycle;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More accounts than Tradovate's allowance of five failed logins an hour: logins in
 * flight are not failures, so every account logs in promptly, five at a time, and nobody
 * is told to wait an hour.
 */
@TestPropertySource(properties = "broker.renewal.check-interval=100ms")
@ExtendWith(OutputCaptureExtension.class)
class ManyAccountsTests extends AgainstEmbeddedSimulator {

	private static final int ACCOUNTS = 12;

	@DynamicPropertySource
	static void accounts(DynamicPropertyRegistry registry) {
		simulatorUser(registry, "sim-user");
		for (int i = 1; i <= ACCOUNTS; i++) {
			String name = "user" + i;
			simulatorUser(registry, name);
			String account = "broker.accounts.acct" + i + ".";
			registry.add(account + "base-url", () -> "http://127.0.0.1:" + PORT + "/v1");
			registry.add(account + "username", () -> name);
			registry.add(account + "password", () -> "sim-password");
			registry.add(account + "app-id", () -> "sim-app");
			registry.add(account + "cid", () -> "1");
			registry.add(account + "secret", () -> "sim-secret");
		}
		registry.add("broker.default-account", () -> "acct1");
	}

	private static void simulatorUser(DynamicPropertyRegistry registry, String name) {
		String user = "simulator.users." + name + ".";
		registry.add(user + "password", () -> "sim-password");
		registry.add(user + "app-id", () -> "sim-app");
		registry.add(user + "cid", () -> "1");
		registry.add(user + "secret", () -> "sim-secret");
	}

	@Test
	void everyAccountLogsInPromptlyAndNoneWaitsAnHour(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (int i = 1; i <= ACCOUNTS; i++) {
				if (caller("sim-demo-key").get("/token/acct" + i).statusCode() != 200) {
					return false;
				}
			}
			return true;
		});

		assertThat(this.tradovate.stats().failedLogins()).isZero();
		assertThat(output).doesNotContain("reached Tradovate's limit");
	}

}
