package io.tokenbroker.simulator;

import java.time.Instant;
import java.util.List;

/**
 * What the simulator remembers between calls (sessions, sockets, rate-limit windows,
 * penalties) and the one lock that guards all of it. Every change happens under
 * {@link #lock()}, held for microseconds; frames are sent and sockets closed after it is
 * released ({@link #closeSockets()}).
 */
final class SimulatorState {

	private final Object lock = new Object();

	private final SimulatorClock clock;

	// Guarded by lock.
	private final SessionBook sessions = new SessionBook();

	// Guarded by lock.
	private final PenaltyBox penalties = new PenaltyBox();

	// Guarded by lock.
	private final UserRequestLimit userLimits = new UserRequestLimit();

	// Guarded by lock.
	private final SocketBook sockets = new SocketBook();

	// Guarded by lock.
	private final SocketRequests socketRequests;

	SimulatorState(SimulatorClock clock, SimulatorProperties properties, SimulatorCounters counters) {
		this.clock = clock;
		this.socketRequests = new SocketRequests(this.sessions, this.sockets, this.userLimits, properties,
				new EndpointLimit(), counters::received, counters.penaltiesIssued::incrementAndGet);
	}

	Object lock() {
		return this.lock;
	}

	SimulatorClock clock() {
		return this.clock;
	}

	SessionBook sessions() {
		return this.sessions;
	}

	PenaltyBox penalties() {
		return this.penalties;
	}

	UserRequestLimit userLimits() {
		return this.userLimits;
	}

	SocketBook sockets() {
		return this.sockets;
	}

	SocketRequests socketRequests() {
		return this.socketRequests;
	}

	/**
	 * The simulator's now, after dropping the sessions, penalties and rate-limit entries
	 * that ended. Call under the lock.
	 * @return now
	 */
	Instant housekeep() {
		Instant now = this.clock.now();
		this.sessions.prune(now);
		this.penalties.prune(now);
		this.userLimits.prune(now);
		return now;
	}

	/**
	 * Forget every session, socket, rate-limit window and penalty, marking every socket
	 * for closing ({@link SocketClose#GOING_AWAY}). Call under the lock.
	 */
	void clear() {
		this.sockets.closeAll(SocketClose.GOING_AWAY);
		this.sockets.clearCounts();
		this.socketRequests.clear();
		this.sessions.clear();
		this.penalties.clear();
		this.userLimits.clear();
	}

	/**
	 * Close the sockets marked for closing under the lock; call after releasing it.
	 */
	void closeSockets() {
		List<SocketBook.Closing> closing;
		synchronized (this.lock) {
			closing = this.sockets.drainClosing();
		}
		closing.forEach(SocketBook.Closing::run);
	}

}
