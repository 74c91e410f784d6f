package io.tokenbroker.simulator;

/**
 * The simulator's side of one WebSocket connection, independent of the transport so the
 * protocol is tested without a network. Implementations never block for long and never
 * throw: a connection that is gone swallows what is sent to it.
 */
interface SocketLink {

	/**
	 * Send one text frame.
	 * @param frame the frame ({@code o}, {@code h}, {@code a[...]} or {@code c[...]})
	 */
	void send(String frame);

	/**
	 * Send the close frame {@code c[code,"reason"]} and close the connection.
	 * @param reason why
	 */
	void close(SocketClose reason);

}
