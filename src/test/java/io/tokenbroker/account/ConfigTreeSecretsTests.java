package io.tokenbroker.account;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passwords and API secrets can come from files, one per setting, as Docker and
 * Kubernetes mount secrets: Spring's {@code configtree:} import.
 */
@Tag("application")
class ConfigTreeSecretsTests {

	@Test
	void secretsAreReadFromFilesWithoutTheirTrailingNewline(@TempDir Path secrets) throws IOException {
		Files.writeString(secrets.resolve("broker.accounts.main.password"), "pa55 word\n");
		Files.writeString(secrets.resolve("broker.accounts.main.secret"), "api-secret\n");

		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenBrokerApplication.class).run(
				"--server.port=0", "--spring.config.import=configtree:" + secrets + "/",
				"--broker.accounts.main.base-url=http://127.0.0.1:9/v1", "--broker.accounts.main.username=trader",
				"--broker.accounts.main.app-id=app", "--broker.accounts.main.cid=1",
				"--broker.clients.bot.key-sha256=" + "0".repeat(64), "--broker.clients.bot.accounts=main")) {
			Credentials credentials = context.getBean(TradovateAccounts.class).find("main").orElseThrow().credentials();

			assertThat(credentials.password().reveal()).isEqualTo("pa55 word");
			assertThat(credentials.secret().reveal()).isEqualTo("api-secret");
			assertThat(credentials.toString()).doesNotContain("pa55").doesNotContain("api-secret");
		}
	}

}
