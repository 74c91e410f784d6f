package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Open sockets counted per group (one Tradovate user) across the fleet. A replica counts
 * a socket when it opens, keeps it counted while it stays open, and lets it go when it
 * closes; a socket its replica stops keeping (a crash, a replica cut off from the store)
 * stops counting once its time to live has passed. Local for the memory and file stores
 * (one instance), in Redis for a fleet. Every method may throw
 * {@link StoreUnavailableException}.
 */
public interface SocketRegistry {

	/**
	 * Counts a new socket, unless {@code ceiling} live sockets of its group are counted
	 * already: checked and counted in one step, so that replicas opening sockets at the
	 * same time never pass the ceiling together.
	 * @param ttl how long it counts unless kept
	 * @return whether it was counted
	 */
	boolean tryOpen(String group, String socket, int ceiling, Instant now, Duration ttl);

	/**
	 * Keeps these sockets of a group counted for another {@code ttl}.
	 * @return how many sockets of the group are counted now, fleet-wide, and which of
	 * these no longer are (let go by {@link #releaseAll} or expired): they must close
	 */
	Kept keep(String group, Collection<String> sockets, Instant now, Duration ttl);

	/** Stops counting one socket, which closed. */
	void release(String group, String socket);

	/**
	 * Stops counting every socket of a group on every replica: each replica closes its
	 * own once {@link #keep} no longer finds them.
	 */
	void releaseAll(String group);

	/** Sockets of a group counted now, fleet-wide. */
	int count(String group, Instant now);

	/**
	 * What {@link #keep} found.
	 *
	 * @param live sockets of the group counted now, fleet-wide
	 * @param gone the sockets asked about that are no longer counted
	 */
	record Kept(int live, Set<String> gone) {

		public Kept {
			gone = Set.copyOf(gone);
		}

	}

}
