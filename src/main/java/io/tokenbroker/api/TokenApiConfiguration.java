package io.tokenbroker.api;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.KnownCallers;
import io.tokenbroker.session.AccountSessions;

/**
 * The hot path of {@code GET /token}: a filter ahead of every other one, on the token
 * paths only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
class TokenApiConfiguration {

	@Bean
	FilterRegistrationBean<HeldTokenFilter> heldTokenFilter(TradovateAccounts accounts, AccountSessions sessions,
			KnownCallers callers, TokenBodies bodies, AuditTrail audit, MeterRegistry meters) {
		FilterRegistrationBean<HeldTokenFilter> registration = new FilterRegistrationBean<>(
				new HeldTokenFilter(accounts, sessions, callers, bodies, audit, meters));
		registration.addUrlPatterns("/token", "/token/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		// ahead of the request observation (HIGHEST_PRECEDENCE + 1) and Spring Security
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
