package io.tokenbroker.operations;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.SessionEvents;
import io.tokenbroker.session.SessionProperties;
import io.tokenbroker.session.UpstreamBudget;
import io.tokenbroker.tradovate.PasswordExpiries;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Wires health, readiness, metrics, the {@code tokens} endpoint and request ids around
 * the account sessions.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class OperationsConfiguration {

	/** {@code /actuator/health/tradovate/<account>}. */
	@Bean
	CompositeHealthContributor tradovateHealthContributor(AccountSessions sessions, Clock clock,
			PasswordExpiries passwords) {
		Map<String, HealthContributor> accounts = new TreeMap<>();
		for (AccountSession session : sessions.all()) {
			accounts.put(session.id(), new AccountHealth(session::snapshot, clock, () -> passwords.of(session.id())));
		}
		return CompositeHealthContributor.fromMap(accounts);
	}

	/** {@code tokenReadiness}, part of the readiness group. */
	@Bean
	TokenReadiness tokenReadinessHealthIndicator(AccountSessions sessions, ReadinessProperties readiness) {
		return new TokenReadiness(() -> sessions.all().stream().map(AccountSession::snapshot).toList(),
				readiness.require());
	}

	@Bean
	BrokerMetrics brokerMetrics(AccountSessions sessions, UpstreamBudget budget, Clock clock) {
		return new BrokerMetrics(sessions, budget, clock);
	}

	@Bean
	SessionEvents lifecycleCounters(MeterRegistry registry, TradovateAccounts accounts) {
		List<String> ids = accounts.all().stream().map(TradovateAccount::id).toList();
		return new LifecycleCounters(registry, ids);
	}

	@Bean
	TokensEndpoint tokensEndpoint(AccountSessions sessions, UpstreamBudget budget, SessionProperties properties,
			Clock clock) {
		return new TokensEndpoint(sessions, budget, properties.waitForToken(), clock);
	}

	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		// before Spring Security, so refusals carry the id too
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

}
