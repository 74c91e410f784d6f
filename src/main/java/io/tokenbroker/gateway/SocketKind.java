package io.tokenbroker.gateway;

/**
 * Tradovate's two WebSockets, each authorized with its own token (partner docs,
 * "WebSocket Connections").
 */
enum SocketKind {

	/** {@code <prefix>/<account>/websocket}: user data and trading, the accessToken. */
	TRADING("trading", "/websocket"),

	/** {@code <prefix>/<account>/md/websocket}: market data, the mdAccessToken. */
	MARKET_DATA("market-data", "/md/websocket");

	private final String tag;

	private final String suffix;

	SocketKind(String tag, String suffix) {
		this.tag = tag;
		this.suffix = suffix;
	}

	/** As metrics and logs name it. */
	String tag() {
		return this.tag;
	}

	/** The gateway's path of this socket after {@code <prefix>/<account>}. */
	String suffix() {
		return this.suffix;
	}

}
