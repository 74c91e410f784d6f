package io.tokenbroker.simulator;

/**
 * Tradovate's two WebSockets, each authorized with its own token (partner docs,
 * "WebSocket Connections").
 */
enum SocketKind {

	/** {@code /v1/websocket}: user data and trading, authorized with the accessToken. */
	TRADING("/v1/websocket"),

	/**
	 * {@code /md/v1/websocket} (Tradovate's md host): market data, authorized with the
	 * mdAccessToken.
	 */
	MARKET_DATA("/md/v1/websocket");

	private final String path;

	SocketKind(String path) {
		this.path = path;
	}

	/** Where the simulator serves it. */
	String path() {
		return this.path;
	}

}
