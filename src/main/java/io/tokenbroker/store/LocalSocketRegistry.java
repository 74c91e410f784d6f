package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link SocketRegistry} in memory, for a broker that runs alone (memory and file
 * stores): its sockets are all there is to count, and none outlives the process.
 */
class LocalSocketRegistry implements SocketRegistry {

	// Guarded by this: per group, each socket and when it stops counting.
	private final Map<String, Map<String, Instant>> groups = new HashMap<>();

	@Override
	public synchronized boolean tryOpen(String group, String socket, int ceiling, Instant now, Duration ttl) {
		Map<String, Instant> sockets = live(group, now);
		if (sockets.size() >= ceiling) {
			return false;
		}
		sockets.put(socket, now.plus(ttl));
		return true;
	}

	@Override
	public synchronized Kept keep(String group, Collection<String> sockets, Instant now, Duration ttl) {
		Map<String, Instant> counted = live(group, now);
		Set<String> gone = new HashSet<>();
		for (String socket : sockets) {
			if (counted.replace(socket, now.plus(ttl)) == null) {
				gone.add(socket);
			}
		}
		return new Kept(counted.size(), gone);
	}

	@Override
	public synchronized void release(String group, String socket) {
		Map<String, Instant> sockets = this.groups.get(group);
		if (sockets != null) {
			sockets.remove(socket);
		}
	}

	@Override
	public synchronized void releaseAll(String group) {
		this.groups.remove(group);
	}

	@Override
	public synchronized int count(String group, Instant now) {
		return live(group, now).size();
	}

	private Map<String, Instant> live(String group, Instant now) {
		Map<String, Instant> sockets = this.groups.computeIfAbsent(group, (key) -> new HashMap<>());
		sockets.values().removeIf((expiry) -> !expiry.isAfter(now));
		return sockets;
	}

}
