package io.tokenbroker.testing;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A free port for each application of {@link AgainstEmbeddedSimulator}, chosen as it
 * starts: the broker logs in to its own port ({@code ${server.port}} in the {@code sim}
 * profile), so it must be known before the web server binds it, and each cached
 * application keeps its own.
 */
class OwnPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext application) {
		int port = FreePorts.next();
		application.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("ownPort", Map.of("server.port", port)));
		// settings of the test class that name the port are read while it starts
		AgainstEmbeddedSimulator.PORT = port;
	}

}
