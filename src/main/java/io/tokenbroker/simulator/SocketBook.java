package io.tokenbroker.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The open WebSockets, who they are authorized for, and Tradovate's per-user connection
 * limits (partner docs, "WebSocket Connections", Connection Limits): past a limit the
 * oldest connection is closed to make room for the new one. Sockets to close are queued
 * and closed by the caller once it let go of the lock. Not thread-safe: the lock of
 * {@link SimulatorState} guards it.
 */
final class SocketBook {

	private final Map<Long, Socket> sockets = new LinkedHashMap<>();

	private final List<Closing> closing = new ArrayList<>();

	private final Map<String, Integer> revocations = new TreeMap<>();

	private long nextId = 1;

	private long nextAuthorization = 1;

	Socket open(SocketKind kind, String address, SocketLink link, Instant now) {
		Socket socket = new Socket(this.nextId++, kind, address, link, now);
		this.sockets.put(socket.id, socket);
		return socket;
	}

	/** The socket, or {@code null} once it is closed or being closed. */
	Socket get(long id) {
		return this.sockets.get(id);
	}

	/** The connection ended (either side closed it). */
	void forget(long id) {
		this.sockets.remove(id);
	}

	void authorize(Socket socket, SessionBook.Session session, String token, Instant now) {
		socket.session = session;
		socket.token = token;
		socket.authorizedOrder = this.nextAuthorization++;
		socket.lastHeard = now;
	}

	/**
	 * The connections to close so that a newly authorized one fits every limit, oldest
	 * first: the user's connections in all, the distinct devices on its market-data
	 * connections, the distinct addresses on all of them.
	 * @param added the connection just authorized
	 * @param limits the limits
	 * @return the connections to close (not closed yet)
	 */
	List<Socket> overLimits(Socket added, SimulatorProperties.WebSockets limits) {
		List<Socket> theirs = authorizedOf(added.user()).stream()
			.sorted(Comparator.comparingLong((Socket socket) -> socket.authorizedOrder))
			.collect(Collectors.toCollection(ArrayList::new));
		List<Socket> evicted = new ArrayList<>();
		while (theirs.size() > limits.maxConnections()) {
			evict(theirs, evicted, (socket) -> socket != added);
		}
		if (added.kind == SocketKind.MARKET_DATA) {
			while (distinct(theirs, SocketKind.MARKET_DATA, Socket::device) > limits.maxMarketDataDevices()) {
				evict(theirs, evicted,
						(socket) -> socket.kind == SocketKind.MARKET_DATA && !socket.device().equals(added.device()));
			}
		}
		while (distinct(theirs, null, (socket) -> socket.address) > limits.maxAddresses()) {
			evict(theirs, evicted, (socket) -> !socket.address.equals(added.address));
		}
		return evicted;
	}

	/**
	 * Close a socket: it is forgotten now, and closed by {@link #drainClosing()}'s
	 * caller.
	 */
	void close(Socket socket, SocketClose reason) {
		if (this.sockets.remove(socket.id) != null) {
			this.closing.add(new Closing(socket.link, reason));
		}
	}

	/**
	 * Close the sockets that waited too long for their authorization, that stayed silent,
	 * or whose session ended.
	 * @param now the simulator's now
	 * @param settings the time-outs
	 */
	void sweep(Instant now, SimulatorProperties.WebSockets settings) {
		for (Socket socket : new ArrayList<>(this.sockets.values())) {
			if (!socket.authorized() && !now.isBefore(socket.openedAt.plus(settings.authorizeTimeout()))) {
				close(socket, SocketClose.NOT_AUTHORIZED);
			}
			else if (!now.isBefore(socket.lastHeard.plus(settings.heartbeatTimeout()))) {
				close(socket, SocketClose.HEARTBEAT_TIMEOUT);
			}
		}
		closeEnded(now);
	}

	/**
	 * Close the sockets whose session was closed or ran out.
	 * @param now the simulator's now
	 */
	void closeEnded(Instant now) {
		for (Socket socket : new ArrayList<>(this.sockets.values())) {
			if (socket.authorized() && !socket.session.isLive(now)) {
				close(socket, socket.session.closed() ? SocketClose.SESSION_CLOSED : SocketClose.SESSION_EXPIRED);
			}
		}
	}

	void closeAll(SocketClose reason) {
		new ArrayList<>(this.sockets.values()).forEach((socket) -> close(socket, reason));
	}

	/**
	 * The closes queued since the last call, to run without the lock.
	 * @return the closes
	 */
	List<Closing> drainClosing() {
		if (this.closing.isEmpty()) {
			return List.of();
		}
		List<Closing> drained = new ArrayList<>(this.closing);
		this.closing.clear();
		return drained;
	}

	Collection<Socket> all() {
		return this.sockets.values();
	}

	void countRevocation(String username) {
		this.revocations.merge(username, 1, Integer::sum);
	}

	/** Tokens revoked by connection limits, per username. */
	Map<String, Integer> revocations() {
		return Map.copyOf(this.revocations);
	}

	/** Authorized sockets per username. */
	Map<String, Integer> openByUser() {
		Map<String, Integer> open = new TreeMap<>();
		this.sockets.values()
			.stream()
			.filter(Socket::authorized)
			.forEach((socket) -> open.merge(socket.user(), 1, Integer::sum));
		return open;
	}

	void clearCounts() {
		this.revocations.clear();
	}

	private List<Socket> authorizedOf(String username) {
		return this.sockets.values()
			.stream()
			.filter((socket) -> socket.authorized() && socket.user().equals(username))
			.toList();
	}

	private static void evict(List<Socket> theirs, List<Socket> evicted, Predicate<Socket> eligible) {
		Socket oldest = theirs.stream().filter(eligible).findFirst().orElseThrow();
		theirs.remove(oldest);
		evicted.add(oldest);
	}

	private static long distinct(List<Socket> sockets, SocketKind kind, Function<Socket, String> key) {
		return sockets.stream().filter((socket) -> kind == null || socket.kind == kind).map(key).distinct().count();
	}

	/**
	 * One WebSocket connection. Guarded by the simulator's lock, like the book.
	 */
	static final class Socket {

		private final long id;

		private final SocketKind kind;

		private final String address;

		private final SocketLink link;

		private final Instant openedAt;

		private final Set<Contract> quotes = new LinkedHashSet<>();

		private Instant lastHeard;

		private SessionBook.Session session;

		private String token;

		private long authorizedOrder;

		private boolean syncing;

		private Socket(long id, SocketKind kind, String address, SocketLink link, Instant now) {
			this.id = id;
			this.kind = kind;
			this.address = address;
			this.link = link;
			this.openedAt = now;
			this.lastHeard = now;
		}

		String address() {
			return this.address;
		}

		long id() {
			return this.id;
		}

		SocketKind kind() {
			return this.kind;
		}

		SocketLink link() {
			return this.link;
		}

		boolean authorized() {
			return this.session != null;
		}

		SessionBook.Session session() {
			return this.session;
		}

		String token() {
			return this.token;
		}

		String user() {
			return this.session.user().name();
		}

		/** The device of the login behind its token. */
		String device() {
			return this.session.deviceId();
		}

		void heard(Instant now) {
			this.lastHeard = now;
		}

		Set<Contract> quotes() {
			return this.quotes;
		}

		boolean syncing() {
			return this.syncing;
		}

		void sync() {
			this.syncing = true;
		}

		@Override
		public String toString() {
			return "Socket[id=" + this.id + ", kind=" + this.kind + ", address=" + this.address + ", user="
					+ (authorized() ? user() : null) + "]";
		}

	}

	/**
	 * A close to run once the lock is released.
	 *
	 * @param link the connection
	 * @param reason why
	 */
	record Closing(SocketLink link, SocketClose reason) {

		void run() {
			this.link.close(this.reason);
		}

	}

}
