package io.tokenbroker.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.tokenbroker.caller.KnownCallers;

/**
 * The hot path of {@code GET /token}: a valve of the application's Tomcat context, ahead
 * of every servlet filter (the management server, when it has a port of its own, does not
 * get it). The valve is in place when Tomcat starts and answers once every bean is made:
 * what it writes is taken then from the security chain, the handler mapping and the
 * request observation.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
class TokenApiConfiguration {

	@Bean
	HeldTokenValve heldTokenValve(TokenBodies bodies, AuditTrail audit) {
		return new HeldTokenValve(bodies, audit);
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> heldTokenValveInContext(HeldTokenValve valve) {
		return (factory) -> factory.addContextValves(valve);
	}

	/**
	 * The convention of {@code http.server.requests}, as Spring Boot makes it: Boot's
	 * request observation filter takes this bean, and the hot path's timers come from it
	 * too.
	 */
	@Bean
	DefaultServerRequestObservationConvention serverRequestObservationConvention(ObservationProperties observations) {
		return new DefaultServerRequestObservationConvention(
				observations.getHttp().getServer().getRequests().getName());
	}

	@Bean
	SmartInitializingSingleton heldTokenValveStart(HeldTokenValve valve, AccountAccess access, KnownCallers callers,
			TokenBodies bodies, FilterChainProxy security,
			@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
			ServerRequestObservationConvention convention, ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<ObservationPredicate> predicates, ObjectProvider<ObservationFilter> filters,
			MeterRegistry meters, ObjectProvider<Tracer> tracers) {
		return () -> {
			TokenGate gate = new TokenGate(access, callers, Representations.of(mapping), bodies,
					HeldTokenValve.READING);
			// no observation registry, no request observation on the chain
			AnswerTimers timers = observations.getIfAvailable(() -> ObservationRegistry.NOOP).isNoop()
					? AnswerTimers.NONE : AnswerTimers.of(convention, predicates.orderedStream().toList(),
							filters.orderedStream().toList(), meters);
			// a tracer exists only when spans are exported (TracingOnlyWithAnEndpoint)
			Tracer tracer = tracers.getIfAvailable(() -> Tracer.NOOP);
			valve.start(gate, AnswerHeaders.of(security.getFilters(TokenController.PATH)), timers,
					tracer != Tracer.NOOP);
		};
	}

}
