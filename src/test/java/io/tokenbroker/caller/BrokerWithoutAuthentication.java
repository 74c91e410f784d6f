package io.tokenbroker.caller;

import java.util.Set;

import jakarta.servlet.Filter;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.context.SecurityContextHolder;

import io.tokenbroker.TokenBrokerApplication;

/**
 * For {@code bench/auth-cost.sh} only: the broker with Spring Security's filter chain
 * bypassed for {@code /token} and every request treated as one fixed caller, to measure
 * what authentication costs on {@code GET /token}. Lives in test sources, never in the
 * product.
 */
public final class BrokerWithoutAuthentication {

	private BrokerWithoutAuthentication() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(TokenBrokerApplication.class, OpenDoors.class).run(args);
	}

	/** Not a {@code @Configuration}: the broker's component scan must never find it. */
	static class OpenDoors {

		@Bean
		WebSecurityCustomizer bypassSecurity() {
			return (web) -> web.ignoring().requestMatchers("/token", "/token/*");
		}

		@Bean
		FilterRegistrationBean<Filter> fixedCaller() {
			CallerAuthentication caller = new CallerAuthentication(new Caller("bench", Set.of("*"), true, true));
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				SecurityContextHolder.getContext().setAuthentication(caller);
				try {
					chain.doFilter(request, response);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
