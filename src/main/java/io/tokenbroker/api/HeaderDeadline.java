package io.tokenbroker.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Makes {@code server.tomcat.connection-timeout} a deadline for a request's line and
 * headers ({@link HeaderDeadlineProtocol}), on the API's port.
 */
@Component
class HeaderDeadline implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.setProtocol(HeaderDeadlineProtocol.class.getName());
	}

}
