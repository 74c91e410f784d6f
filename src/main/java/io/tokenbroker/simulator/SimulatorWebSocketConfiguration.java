package io.tokenbroker.simulator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Tradovate's trading and market-data WebSockets on the simulator's server, with the
 * ticker that sends heartbeats and quotes.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.SIMULATOR)
@EnableWebSocket
class SimulatorWebSocketConfiguration implements WebSocketConfigurer {

	private final SimulatedTradovate tradovate;

	SimulatorWebSocketConfiguration(SimulatedTradovate tradovate) {
		this.tradovate = tradovate;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		for (SocketKind kind : SocketKind.values()) {
			registry.addHandler(new TradovateSocketHandler(this.tradovate, kind), kind.path());
		}
		if (registry instanceof ServletWebSocketHandlerRegistry servlet) {
			// ahead of the controllers, whose /v1/** answers unknown paths
			servlet.setOrder(Ordered.HIGHEST_PRECEDENCE);
		}
	}

	@Bean
	SocketTicker simulatorSocketTicker(SimulatorProperties properties) {
		return new SocketTicker(this.tradovate, properties.websocket());
	}

}
