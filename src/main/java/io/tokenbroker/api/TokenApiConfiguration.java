package io.tokenbroker.api;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.KnownCallers;
import io.tokenbroker.session.AccountSessions;

/**
 * The hot path of {@code GET /token}: a valve of the application's Tomcat context, ahead
 * of every servlet filter (the management server, when it has a port of its own, does not
 * get it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
class TokenApiConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> heldTokenValve(TradovateAccounts accounts,
			AccountSessions sessions, KnownCallers callers, TokenBodies bodies, AuditTrail audit,
			MeterRegistry meters) {
		return (factory) -> factory
			.addContextValves(new HeldTokenValve(accounts, sessions, callers, bodies, audit, meters));
	}

}
