package io.tokenbroker.account;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.tokenbroker.TokenBrokerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-up refuses missing and invalid settings with one line per problem, and never
 * echoes a secret value.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTests {

	private static final String LONG_PASSWORD = "Pw-" + "x".repeat(70);

	private static void start(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		for (String property : properties) {
			args.add("--" + property);
		}
		new SpringApplicationBuilder(TokenBrokerApplication.class).run(args.toArray(String[]::new)).close();
	}

	@Test
	void everyProblemIsReportedOnceWithoutSecretValues(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start("broker.accounts.main.username=trader", "broker.accounts.main.password=" + LONG_PASSWORD,
						"broker.accounts.main.app-id=app", "broker.accounts.main.cid=-3",
						"broker.accounts.main.base-url=ftp://files.invalid", "broker.default-account=nope",
						"broker.clients.bot.key-sha256=zz", "broker.clients.bot.accounts=ghost"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("broker.accounts[main].password")
			.contains("must be at most 64 characters long")
			.contains("broker.accounts[main].secret")
			.contains("must be set (a property, an environment variable or a configtree file)")
			.contains("broker.accounts[main].cid")
			.contains("base-url must be an absolute http or https URL")
			.contains("broker.default-account must name an account configured under broker.accounts")
			.contains("must be 64 hex digits")
			.contains("every account listed under broker.clients.<client>.accounts must be configured")
			.doesNotContain(LONG_PASSWORD);
	}

	@Test
	void aBrokerWithoutAccountsOrClientsDoesNotStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start());

		assertThat(output).contains("at least one account must be configured under broker.accounts.<id>")
			.contains("at least one client must be configured under broker.clients.<client>");
	}

	@Test
	void storeSettingsAreCheckedWithoutPrintingKeys(CapturedOutput output) {
		String shortKey = "c2hvcnQta2V5LXZhbHVl";
		assertThatException().isThrownBy(() -> start("broker.accounts.main.username=trader",
				"broker.accounts.main.password=pw", "broker.accounts.main.app-id=app", "broker.accounts.main.cid=1",
				"broker.accounts.main.secret=s", "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.store.keys.k1=" + shortKey, "broker.store.keys.k2=" + shortKey + "x",
				"broker.store.active-key=k3", "broker.store.lease-time=1s"));

		assertThat(output).contains("broker.store.keys[k1]")
			.contains("must be the Base64 of 32 random bytes")
			.contains("broker.store.active-key must name a key configured under broker.store.keys.<key-id>")
			.contains("broker.store.lease-time must be at least 2s")
			.doesNotContain(shortKey);
	}

	@Test
	void aFleetOnRedisNeedsAStoreKey(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start("broker.accounts.main.username=trader", "broker.accounts.main.password=pw",
					"broker.accounts.main.app-id=app", "broker.accounts.main.cid=1", "broker.accounts.main.secret=s",
					"broker.clients.bot.key-sha256=" + "a".repeat(64), "broker.store.type=redis"));

		assertThat(output).contains("broker.store.type=redis needs a key (broker.store.keys.<key-id>)");
	}

	@Test
	void accountIdsMustBeUsableInUrlsAndVariableNames(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("broker.accounts[Main_Account].username=trader",
				"broker.accounts[Main_Account].password=pw", "broker.accounts[Main_Account].app-id=app",
				"broker.accounts[Main_Account].cid=1", "broker.accounts[Main_Account].secret=s"));

		assertThat(output).contains("account ids are 1-32 lower case letters, digits or dashes");
	}

}
