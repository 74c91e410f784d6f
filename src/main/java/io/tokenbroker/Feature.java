package io.tokenbroker;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.tokenbroker.operations.TracingOnlyWithAnEndpoint;
import io.tokenbroker.store.StoreProperties;

/**
 * A part of the broker that the settings switch on or off at each start
 * ({@link FeaturesBySettings}), together with the Spring configuration it brings (by
 * class name prefix, for configuration we cannot mark with {@link PartOf}).
 */
public enum Feature {

	/**
	 * The broker itself; {@code broker.enabled=false} leaves the standalone simulator.
	 */
	BROKER((environment) -> environment.getProperty("broker.enabled", Boolean.class, true)),

	/**
	 * The embedded Tradovate simulator.
	 */
	SIMULATOR((environment) -> environment.getProperty("simulator.enabled", Boolean.class, false)),

	/**
	 * The gateway ({@code broker.gateway.enabled}, docs/gateway.md): Tradovate's REST API
	 * and WebSockets through the broker.
	 */
	GATEWAY((environment) -> BROKER.isOn(environment)
			&& environment.getProperty("broker.gateway.enabled", Boolean.class, false)),

	/**
	 * The WebSocket support that {@code @EnableWebSocket} imports, for the simulator's
	 * sockets and the gateway's: left out when neither is on.
	 */
	WEB_SOCKETS((environment) -> SIMULATOR.isOn(environment) || GATEWAY.isOn(environment),
			"org.springframework.web.socket.config.annotation.DelegatingWebSocketConfiguration"),

	/**
	 * Redis, with Spring Boot's Redis auto-configuration (connection factory, templates,
	 * Lettuce's resources, health, observations), for {@code broker.store.type=redis}
	 * only: with the file or memory store nothing talks to Redis, and building those
	 * beans cost every start about a quarter of a second.
	 */
	REDIS_STORE(Feature::redisStore, "org.springframework.boot.data.redis.autoconfigure."),

	/**
	 * What the broker adds to tracing, when spans are exported (Spring Boot's own tracing
	 * configuration is left out earlier, by {@link TracingOnlyWithAnEndpoint}).
	 */
	TRACING(TracingOnlyWithAnEndpoint::tracing);

	private final Predicate<Environment> on;

	private final List<String> brings;

	Feature(Predicate<Environment> on, String... brings) {
		this.on = on;
		this.brings = List.of(brings);
	}

	/** Whether these settings switch this feature on. */
	public boolean isOn(Environment environment) {
		return this.on.test(environment);
	}

	/** Whether the configuration class of this name comes with this feature. */
	boolean brings(String configurationClassName) {
		return this.brings.stream().anyMatch(configurationClassName::startsWith);
	}

	private static boolean redisStore(Environment environment) {
		try {
			return Binder.get(environment)
				.bind("broker.store.type", StoreProperties.Type.class)
				.map(StoreProperties.Type.REDIS::equals)
				.orElse(false);
		}
		catch (BindException ex) {
			// not a store type: the settings' validation says so, with the usual message
			return true;
		}
	}

}
