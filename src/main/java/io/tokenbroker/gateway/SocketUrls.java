package io.tokenbroker.gateway;

import java.net.URI;

import io.tokenbroker.account.TradovateEnvironment;

/**
 * Where an account's WebSockets are: set per account, or derived from its REST base URL.
 * Tradovate's own hosts have theirs (partner docs, "WebSocket Connections"); any other
 * base URL ({@code http://host:port/v1}, the simulator) serves them as the simulator
 * does: {@code ws://host:port/v1/websocket} and {@code ws://host:port/md/v1/websocket}.
 *
 * @param trading the trading socket, authorized with the accessToken
 * @param marketData the market-data socket, authorized with the mdAccessToken
 */
record SocketUrls(URI trading, URI marketData) {

	static final URI TRADOVATE_MARKET_DATA = URI.create("wss://md.tradovateapi.com/v1/websocket");

	static SocketUrls of(URI baseUrl, GatewayProperties.AccountSockets configured) {
		SocketUrls derived = derived(baseUrl);
		if (configured == null) {
			return derived;
		}
		return new SocketUrls((configured.tradingSocketUrl() != null) ? configured.tradingSocketUrl() : derived.trading,
				(configured.marketDataSocketUrl() != null) ? configured.marketDataSocketUrl() : derived.marketData);
	}

	static SocketUrls derived(URI baseUrl) {
		for (TradovateEnvironment environment : TradovateEnvironment.values()) {
			if (environment.baseUrl().equals(baseUrl)) {
				return new SocketUrls(URI.create("wss://" + baseUrl.getRawAuthority() + "/v1/websocket"),
						TRADOVATE_MARKET_DATA);
			}
		}
		String scheme = "https".equals(baseUrl.getScheme()) ? "wss" : "ws";
		String path = (baseUrl.getRawPath() != null) ? baseUrl.getRawPath().replaceAll("/+$", "") : "";
		String origin = scheme + "://" + baseUrl.getRawAuthority();
		return new SocketUrls(URI.create(origin + path + "/websocket"),
				URI.create(origin + "/md" + path + "/websocket"));
	}

	URI of(SocketKind kind) {
		return (kind == SocketKind.TRADING) ? this.trading : this.marketData;
	}

}
