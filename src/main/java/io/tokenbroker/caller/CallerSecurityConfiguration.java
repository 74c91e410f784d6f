package io.tokenbroker.caller;

import java.time.Clock;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import io.tokenbroker.account.PublishedKeys;
import io.tokenbroker.account.SettingsException;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Every request is anonymous until its bearer key names a configured client; addresses
 * that keep presenting wrong keys are locked out for longer and longer. Health probes are
 * open; tokens need a client key; everything else under {@code /actuator} needs an admin
 * client. Refusals are rendered by the same problem-details advice as every other error.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class CallerSecurityConfiguration {

	/**
	 * @throws SettingsException when a client's digest is a published key's, outside the
	 * demo profile
	 */
	@Bean
	CallerKeys callerKeys(ClientsProperties properties, Clock clock, Environment environment) {
		PublishedKeys.refuseOutsideTheDemo(environment, PublishedKeys.in(properties.keyDigests(), Map.of()));
		return new CallerKeys(properties.clients(), clock);
	}

	@Bean
	CallerKeyAuthenticationManager callerKeyAuthenticationManager(CallerKeys keys) {
		return new CallerKeyAuthenticationManager(keys);
	}

	@Bean
	FailedAuthentications failedAuthentications(CallerSecurityProperties settings, Clock clock) {
		return new FailedAuthentications(settings, clock);
	}

	@Bean
	KnownCallers knownCallers(CallerKeys keys, FailedAuthentications failures, ClientAddresses addresses) {
		return new KnownCallers(keys, failures, addresses);
	}

	@Bean
	SecurityFilterChain callerSecurity(HttpSecurity http, CallerKeyAuthenticationManager manager, KnownCallers callers,
			FailedAuthentications failures, ClientAddresses addresses,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
			ObjectProvider<CallerAccessRules> featureRules) {
		AuthenticationEntryPoint entryPoint = (request, response, ex) -> problems.resolveException(request, response,
				null, ex);
		AccessDeniedHandler accessDenied = (request, response, ex) -> problems.resolveException(request, response, null,
				ex);
		AuthenticationFilter keyFilter = new AuthenticationFilter(manager, new BearerKeyConverter());
		// a right key erases no failure: nothing to do but go on
		keyFilter.setSuccessHandler((request, response, authentication) -> {
		});
		AuthenticationEntryPointFailureHandler refusal = new AuthenticationEntryPointFailureHandler(entryPoint);
		keyFilter.setFailureHandler((request, response, ex) -> {
			failures.recordFailure(addresses.of(request));
			refusal.onAuthenticationFailure(request, response, ex);
		});
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.formLogin((form) -> form.disable())
			.httpBasic((basic) -> basic.disable())
			.logout((logout) -> logout.disable())
			// same slot, kept in this order: the lock-out is checked before the key
			.addFilterBefore(new LockOutFilter(callers, problems), AuthorizationFilter.class)
			.addFilterBefore(keyFilter, AuthorizationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
			.authorizeHttpRequests((requests) -> {
				requests
					.requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
							"/error")
					.permitAll()
					.requestMatchers("/actuator/prometheus")
					.hasAnyRole(CallerAuthentication.ADMIN, CallerAuthentication.METRICS)
					.requestMatchers("/actuator/**")
					.hasRole(CallerAuthentication.ADMIN);
				featureRules.orderedStream().forEach((rules) -> rules.addTo(requests));
				requests.anyRequest().authenticated();
			})
			.build();
	}

}
