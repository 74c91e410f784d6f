package io.tokenbroker.simulator;

import java.util.Map;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.PublishedKeys;
import io.tokenbroker.caller.ClientsProperties;
import io.tokenbroker.store.StoreProperties;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Wiring of the simulator: its properties (without relying on a properties scan), its own
 * security chain, ahead of the broker's, so the broker's security never blocks the
 * simulated Tradovate (its REST paths and its two WebSockets, which authenticate with
 * Tradovate's tokens), and its Date header.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.SIMULATOR)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain simulatorSecurityFilterChain(HttpSecurity http) throws Exception {
		// Tradovate authenticates with its own tokens: Spring Security has nothing to
		// add.
		return http.securityMatcher("/v1/**", "/md/v1/websocket", "/simulator/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.build();
	}

	/**
	 * With a published key configured (profile {@code sim}: the demo client's digest),
	 * every account must log in to this simulator. Keyed on the keys themselves, not on
	 * {@code simulator.demo-client-key}, which only prints the demo key: emptying that
	 * setting leaves the public key working.
	 */
	@Bean
	DemoGuard demoGuard(ObjectProvider<AccountsProperties> accounts, ObjectProvider<ClientsProperties> clients,
			ObjectProvider<StoreProperties> store, Environment environment) {
		AccountsProperties properties = accounts.getIfAvailable();
		ClientsProperties clientProperties = clients.getIfAvailable();
		if (properties == null || !properties.enabled()) {
			return new DemoGuard(Map.of(), Map.of(), "");
		}
		StoreProperties storeProperties = store.getIfAvailable();
		Map<String, String> published = PublishedKeys.in(
				(clientProperties != null) ? clientProperties.keyDigests() : Map.of(),
				(storeProperties != null) ? storeProperties.keys() : Map.of());
		return new DemoGuard(published, properties.accounts(), environment.getProperty("server.port", "8080"));
	}

	@Bean
	FilterRegistrationBean<SimulatorDateHeaderFilter> simulatorDateHeaderFilter(SimulatedTradovate tradovate) {
		FilterRegistrationBean<SimulatorDateHeaderFilter> registration = new FilterRegistrationBean<>(
				new SimulatorDateHeaderFilter(tradovate));
		registration.addUrlPatterns("/v1/*", "/md/v1/*", "/simulator/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
