package io.tokenbroker.simulator;

import java.time.Instant;
import java.util.List;

/**
 * Tradovate's trading and market-data WebSockets on the simulator, as their connections
 * and the ticker see them: the socket and session state changes under the simulator's
 * lock, and the frames are sent and sockets closed after it is released.
 */
final class SimulatedSockets {

	private final SimulatorState state;

	private final SimulatorProperties.WebSockets settings;

	private final Object lock;

	private final SimulatorClock clock;

	// Guarded by lock.
	private final SocketBook sockets;

	// Guarded by lock.
	private final SocketRequests socketRequests;

	SimulatedSockets(SimulatorState state, SimulatorProperties.WebSockets settings) {
		this.state = state;
		this.settings = settings;
		this.lock = state.lock();
		this.clock = state.clock();
		this.sockets = state.sockets();
		this.socketRequests = state.socketRequests();
	}

	/**
	 * A WebSocket connected: it gets the open frame and must authorize in time.
	 * @param kind trading or market data
	 * @param address the client's IP address
	 * @param link the connection
	 * @return the socket's id
	 */
	long opened(SocketKind kind, String address, SocketLink link) {
		long id;
		synchronized (this.lock) {
			id = this.sockets.open(kind, address, link, this.clock.now()).id();
		}
		link.send(SocketFrames.OPEN);
		return id;
	}

	/**
	 * A text frame from a client: a heartbeat or a request.
	 * @param socketId the socket
	 * @param text the frame
	 */
	void frame(long socketId, String text) {
		List<SocketRequests.Outgoing> out;
		synchronized (this.lock) {
			SocketBook.Socket socket = this.sockets.get(socketId);
			out = (socket != null) ? this.socketRequests.receive(socket, text, housekeep()) : List.of();
		}
		out.forEach(SocketRequests.Outgoing::send);
		closeSockets();
	}

	/**
	 * A connection ended, whichever side closed it.
	 * @param socketId the socket
	 */
	void closed(long socketId) {
		synchronized (this.lock) {
			this.sockets.forget(socketId);
		}
	}

	/**
	 * The server's heartbeat to every socket, and the close of those that did not
	 * authorize in time, stayed silent, or whose session ended.
	 */
	void tick() {
		List<SocketLink> links;
		synchronized (this.lock) {
			Instant now = housekeep();
			this.sockets.sweep(now, this.settings);
			links = this.sockets.all().stream().map(SocketBook.Socket::link).toList();
		}
		closeSockets();
		links.forEach((link) -> link.send(SocketFrames.HEARTBEAT));
	}

	/**
	 * A quote for every subscription.
	 */
	void quoteTick() {
		List<SocketRequests.Outgoing> out;
		synchronized (this.lock) {
			out = this.socketRequests.quoteTick(this.clock.now());
		}
		out.forEach(SocketRequests.Outgoing::send);
	}

	/**
	 * Close every socket, as a server that stops does.
	 */
	void closeAll() {
		synchronized (this.lock) {
			this.sockets.closeAll(SocketClose.GOING_AWAY);
		}
		closeSockets();
	}

	/**
	 * Change a user's cash balance: sockets that asked for {@code user/syncrequest} get
	 * the change pushed.
	 * @param user the user
	 * @param amount the new balance
	 */
	void changeCashBalance(SimulatedUser user, double amount) {
		List<SocketRequests.Outgoing> out;
		synchronized (this.lock) {
			out = this.socketRequests.changeCashBalance(user, amount, this.clock.now());
		}
		out.forEach(SocketRequests.Outgoing::send);
	}

	private Instant housekeep() {
		return this.state.housekeep();
	}

	private void closeSockets() {
		this.state.closeSockets();
	}

}
