package io.tokenbroker.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Tells whoever started the application how to use it: with the embedded simulator
 * ({@code sim} profile, demo client key set) the exact curl that fetches a token from the
 * broker, standalone the simulator's base URL.
 */
@Component
@PartOf(Feature.SIMULATOR)
class SimulatorBanner {

	private static final Logger logger = LoggerFactory.getLogger(SimulatorBanner.class);

	private final SimulatorProperties properties;

	private final Environment environment;

	SimulatorBanner(SimulatorProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	void announce() {
		logger.info(message());
		if (StringUtils.hasText(this.properties.demoClientKey())) {
			logger.warn("DEMO PROFILE: this broker serves demo tokens to the public key {}; never run it in "
					+ "production", this.properties.demoClientKey());
		}
	}

	String message() {
		String port = this.environment.getProperty("local.server.port",
				this.environment.getProperty("server.port", "8080"));
		String demoKey = this.properties.demoClientKey();
		if (demoKey != null && !demoKey.isBlank()) {
			// The demo key is public and documented, so printing it is the point.
			return "Simulator ready. Fetch a token with: curl -s -H 'Authorization: Bearer " + demoKey
					+ "' http://localhost:" + port + "/token";
		}
		return "Tradovate simulator listening on http://localhost:" + port + "/v1";
	}

}
