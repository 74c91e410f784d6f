package io.tokenbroker.api;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Counts the requests for tokens that reach the servlet filters, which the hot path
 * answers before: a test's own filter, which the hot path is not equivalent to.
 */
@TestConfiguration(proxyBeanMethods = false)
class ChainProbe {

	static final AtomicInteger reached = new AtomicInteger();

	@Bean
	FilterRegistrationBean<Counter> chainProbe() {
		FilterRegistrationBean<Counter> registration = new FilterRegistrationBean<>(new Counter());
		registration.addUrlPatterns("/token", "/token/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

	static final class Counter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			reached.incrementAndGet();
			chain.doFilter(request, response);
		}

	}

}
