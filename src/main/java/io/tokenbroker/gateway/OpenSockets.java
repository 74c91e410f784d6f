package io.tokenbroker.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tokenbroker.store.SocketRegistry;
import io.tokenbroker.store.StoreUnavailableException;

/**
 * This replica's relayed WebSockets, driven by one thread: every
 * {@code heartbeat-interval} each gets its upstream heartbeat and its time-outs checked;
 * every third of {@code lease-time} the fleet's registry is told which are still open,
 * and any it no longer counts (the broker logged in anew, on this replica or another)
 * closes with a reason that says to reconnect. Stops before the web server's graceful
 * shutdown, closing both ends of every socket cleanly.
 */
final class OpenSockets implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OpenSockets.class);

	private final Set<RelayedSocket> open = ConcurrentHashMap.newKeySet();

	private final SocketServices services;

	private final ThreadPoolTaskScheduler thread;

	private volatile boolean running;

	OpenSockets(SocketServices services) {
		this.services = services;
		this.thread = new ThreadPoolTaskScheduler();
		this.thread.setPoolSize(1);
		this.thread.setThreadNamePrefix("gateway-sockets-");
		this.thread.setDaemon(true);
		this.thread.initialize();
		// every account's gauges from the start, at zero
		services.urls().keySet().forEach((account) -> {
			services.metrics().fleetSockets(account, 0);
			for (SocketKind kind : SocketKind.values()) {
				services.metrics().openSockets(account, kind);
			}
		});
	}

	void add(RelayedSocket socket) {
		this.open.add(socket);
	}

	void remove(RelayedSocket socket) {
		this.open.remove(socket);
	}

	/** How many this replica relays or is opening now. */
	int size() {
		return this.open.size();
	}

	/**
	 * The broker opened a new Tradovate session for the account: sockets of the old one
	 * close, on every replica (the registry forgets them; each replica closes its own
	 * when it finds them gone).
	 */
	void sessionReplaced(String account) {
		try {
			this.services.registry().releaseAll(account);
		}
		catch (StoreUnavailableException ex) {
			log.warn("Gateway: other replicas' sockets of account {} close when their lease time ends: {}", account,
					ex.getMessage());
		}
		List<RelayedSocket> closing = new ArrayList<>();
		this.open.forEach((socket) -> {
			if (socket.account().equals(account)) {
				closing.add(socket);
			}
		});
		closing.forEach((socket) -> socket.close(SocketClosure.SESSION_REPLACED));
		if (!closing.isEmpty()) {
			log.info("Gateway: closed {} WebSocket(s) of account {}: the broker logged in anew, callers reconnect",
					closing.size(), account);
		}
	}

	private void tick() {
		Instant now = this.services.clock().instant();
		for (RelayedSocket socket : this.open) {
			try {
				socket.tick(now);
			}
			catch (RuntimeException ex) {
				log.warn("Gateway: the tick of a socket of account {} failed: {}", socket.account(), ex.toString());
			}
		}
	}

	/** Tells the registry which sockets are open; closes those it no longer counts. */
	private void keep() {
		Instant now = this.services.clock().instant();
		Duration leaseTime = this.services.settings().sockets().leaseTime();
		Map<String, List<RelayedSocket>> byAccount = new HashMap<>();
		this.open.forEach((socket) -> {
			if (socket.counted()) {
				byAccount.computeIfAbsent(socket.account(), (key) -> new ArrayList<>()).add(socket);
			}
		});
		this.services.urls().keySet().forEach((account) -> byAccount.putIfAbsent(account, List.of()));
		byAccount.forEach((account, sockets) -> {
			SocketRegistry.Kept kept;
			try {
				kept = this.services.registry()
					.keep(account, sockets.stream().map(RelayedSocket::id).toList(), now, leaseTime);
			}
			catch (StoreUnavailableException ex) {
				log.debug("Gateway: the sockets of account {} could not be kept counted: {}", account, ex.getMessage());
				return;
			}
			this.services.metrics().fleetSockets(account, kept.live());
			sockets.stream()
				.filter((socket) -> kept.gone().contains(socket.id()))
				.forEach((socket) -> socket.close(SocketClosure.SESSION_REPLACED));
		});
	}

	@Override
	public void start() {
		Duration interval = this.services.settings().sockets().heartbeatInterval();
		this.thread.scheduleWithFixedDelay(this::tick, interval);
		this.thread.scheduleWithFixedDelay(this::keep, this.services.settings().sockets().leaseTime().dividedBy(3));
		this.running = true;
	}

	/** Closes both ends of every socket; before the web server's graceful shutdown. */
	@Override
	public void stop() {
		this.running = false;
		List<RelayedSocket> closing = new ArrayList<>(this.open);
		closing.forEach((socket) -> socket.close(SocketClosure.GOING_AWAY));
		this.thread.shutdown();
		if (!closing.isEmpty()) {
			log.info("Gateway: closed {} WebSocket(s) for the shutdown", closing.size());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
