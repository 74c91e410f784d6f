package io.tokenbroker.gateway;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each account's WebSocket URLs: Tradovate's own after its environment, the simulator's
 * layout after any other base URL, or what is set.
 */
class SocketUrlsTests {

	@Test
	void tradovatesEnvironmentsHaveTheirHostsAndTheSharedMarketDataHost() {
		SocketUrls live = SocketUrls.of(URI.create("https://live.tradovateapi.com/v1"), null);
		SocketUrls demo = SocketUrls.of(URI.create("https://demo.tradovateapi.com/v1"), null);

		assertThat(live.trading()).hasToString("wss://live.tradovateapi.com/v1/websocket");
		assertThat(demo.trading()).hasToString("wss://demo.tradovateapi.com/v1/websocket");
		assertThat(live.marketData()).hasToString("wss://md.tradovateapi.com/v1/websocket");
		assertThat(demo.of(SocketKind.MARKET_DATA)).hasToString("wss://md.tradovateapi.com/v1/websocket");
	}

	@Test
	void anyOtherBaseUrlServesThemAsTheSimulatorDoes() {
		SocketUrls simulator = SocketUrls.of(URI.create("http://127.0.0.1:8080/v1/"), null);
		SocketUrls proxy = SocketUrls.of(URI.create("https://10.0.0.5:8443/tradovate/v1"), null);

		assertThat(simulator.trading()).hasToString("ws://127.0.0.1:8080/v1/websocket");
		assertThat(simulator.marketData()).hasToString("ws://127.0.0.1:8080/md/v1/websocket");
		assertThat(proxy.trading()).hasToString("wss://10.0.0.5:8443/tradovate/v1/websocket");
	}

	@Test
	void whatIsSetWinsOneByOne() {
		SocketUrls urls = SocketUrls.of(URI.create("https://demo.tradovateapi.com/v1"),
				new GatewayProperties.AccountSockets(null, URI.create("wss://10.0.0.9/md")));

		assertThat(urls.trading()).hasToString("wss://demo.tradovateapi.com/v1/websocket");
		assertThat(urls.marketData()).hasToString("wss://10.0.0.9/md");
	}

}
