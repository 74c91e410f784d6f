package io.tokenbroker.gateway;

/** Where a relayed socket stands, from the caller's connect to the close of both ends. */
enum SocketPhase {

	/** Open; the caller's key is not known yet. */
	AWAITING_KEY,

	/** The key is known; the upstream socket opens and authorizes. */
	CONNECTING,

	/** Frames go both ways. */
	RELAYING,

	/** Both ends closed or closing. */
	CLOSED

}
