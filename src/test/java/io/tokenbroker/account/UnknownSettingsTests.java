package io.tokenbroker.account;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the broker knows as settings, and what it suggests for a misspelt one.
 */
class UnknownSettingsTests {

	private final List<String> known = UnknownSettings.known();

	private static ConfigurationPropertyName name(String name) {
		return ConfigurationPropertyName.of(name);
	}

	@Test
	void everySettingsClassOfTheBrokerIsKnownWithItsMapsAndNestedGroups() {
		assertThat(this.known)
			.contains("broker.enabled", "broker.accounts.*.password", "broker.accounts.*.base-url",
					"broker.clients.*.key-sha256", "broker.renewal.expiry-margin", "broker.limits.renewals-per-hour",
					"broker.store.keys.*", "broker.store.type", "broker.security.trusted-proxies",
					"broker.events.max-streams-per-client")
			.noneMatch((name) -> name.startsWith("simulator."));
	}

	@Test
	void namesMatchWithAnyMapKeyAndAnyListIndex() {
		assertThat(UnknownSettings.matchesAny(name("broker.accounts.main.password"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAny(name("broker.clients.bot.key-sha256[1]"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAny(name("broker.security.trusted-proxies[0]"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAny(name("broker.accounts.main.pasword"), this.known)).isFalse();
		assertThat(UnknownSettings.matchesAny(name("broker.clients[trading-bot].key-sha256"), this.known)).isTrue();
		// an id with an underscore, as an environment variable would give it
		assertThat(UnknownSettings.matchesAny(name("broker.accounts.main.account.password"), this.known)).isFalse();
	}

	@Test
	void environmentVariablesMatchWithDashesAsUnderscoresOrLeftOut() {
		// BROKER_ACCOUNTS_MAIN_APP_ID and BROKER_ACCOUNTS_MAIN_APPID, as Spring reads
		// them
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.accounts.main.app.id"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.accounts.main.appid"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.clients.bot.key.sha256[0]"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.liveness.check.interval"), this.known)).isTrue();
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.accounts.main.app.idd"), this.known)).isFalse();
		assertThat(UnknownSettings.matchesAnyVariable(name("broker.acounts.main.password"), this.known)).isFalse();
		// the same dotted name from a file is not a setting
		assertThat(UnknownSettings.matchesAny(name("broker.accounts.main.app.id"), this.known)).isFalse();
	}

	@Test
	void theSuggestionKeepsTheIdsOfThePathAndOnlyComesWhenClose() {
		assertThat(UnknownSettings.closest(name("broker.acounts.main.password"), this.known))
			.hasValue("broker.accounts.main.password");
		assertThat(UnknownSettings.closest(name("broker.store.tipe"), this.known)).hasValue("broker.store.type");
		assertThat(UnknownSettings.closest(name("broker.port.8080.tcp.addr"), this.known)).isEmpty();
	}

}
