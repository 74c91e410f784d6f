package io.tokenbroker.session;

import java.time.Clock;
import java.util.Random;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tokenbroker.account.BrokerProperties;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.tradovate.TradovateClient;

/**
 * Wires one {@link AccountSession} per configured account around a shared token store,
 * upstream budget and renewal schedule.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
class SessionConfiguration {

	@Bean
	TokenStore tokenStore(Clock clock, BrokerProperties properties) {
		return new TokenStore(clock, properties.renewal().expiryMargin());
	}

	@Bean
	UpstreamBudget upstreamBudget(BrokerProperties properties) {
		return UpstreamBudget.of(properties.limits());
	}

	@Bean
	AccountSessions accountSessions(TradovateAccounts accounts, TradovateClient tradovate, TokenStore tokens,
			UpstreamBudget budget, BrokerProperties properties, Clock clock, ObjectProvider<SessionEvents> events) {
		RenewalPolicy policy = new RenewalPolicy(properties.renewal(), properties.retry(), new Random());
		int reserved = properties.renewal().reservedForSchedule();
		SessionEvents listener = events.getIfAvailable(() -> SessionEvents.NONE);
		return new AccountSessions(accounts.all(),
				(account) -> new AccountSession(account, tradovate, tokens, budget, policy, reserved, clock, listener));
	}

	@Bean
	RenewalSchedule renewalSchedule(AccountSessions sessions, BrokerProperties properties) {
		return new RenewalSchedule(sessions, properties.renewal().checkInterval());
	}

}
