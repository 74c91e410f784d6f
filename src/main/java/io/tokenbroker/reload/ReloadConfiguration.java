package io.tokenbroker.reload;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;
import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.SettingsReader;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.caller.ClientsProperties;
import io.tokenbroker.session.AccountSessions;

/** Reloads the settings files while the broker runs. */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class ReloadConfiguration {

	@Bean
	SettingsReload settingsReload(ConfigurableEnvironment environment, SettingsReader reader,
			AccountsProperties accountSettings, ClientsProperties clientSettings, CallerKeys keys,
			TradovateAccounts accounts, AccountSessions sessions, Clock clock, MeterRegistry meters,
			ReloadProperties settings) {
		return new SettingsReload(new SettingsSources(environment), reader, accountSettings, clientSettings,
				new SettingsReload.Running(keys, accounts, sessions, clock), meters, settings.checkInterval());
	}

}
