package io.tokenbroker.caller;

import java.util.Locale;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tokenbroker.account.SettingsException;

/**
 * Where requests come from, for the lock-out and the audit trail: also in the standalone
 * simulator, whose refusals are audited too.
 */
@Configuration(proxyBeanMethods = false)
class ClientAddressConfiguration {

	/**
	 * @throws SettingsException when a trusted proxy is no address, or when the web
	 * server is told to trust forwarded headers itself (Tomcat would trust them from
	 * every private address, Spring's filter from anyone)
	 */
	@Bean
	ClientAddresses clientAddresses(CallerSecurityProperties settings, ServerProperties server) {
		if (server.getForwardHeadersStrategy() != null
				&& server.getForwardHeadersStrategy() != ServerProperties.ForwardHeadersStrategy.NONE) {
			throw new SettingsException(
					"server.forward-headers-strategy="
							+ server.getForwardHeadersStrategy().name().toLowerCase(Locale.ROOT)
							+ " would let the web server believe X-Forwarded-For from callers",
					"Remove it and name the proxies the broker may believe in broker.security.trusted-proxies "
							+ "(addresses or CIDR ranges).",
					null);
		}
		try {
			return new ClientAddresses(settings.trustedProxies());
		}
		catch (IllegalArgumentException ex) {
			throw new SettingsException("broker.security.trusted-proxies: " + ex.getMessage(),
					"List addresses (10.0.0.7) or CIDR ranges (10.0.0.0/8, fd00::/8).", ex);
		}
	}

}
