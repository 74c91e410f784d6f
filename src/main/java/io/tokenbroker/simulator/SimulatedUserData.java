package io.tokenbroker.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Tradovate's REST calls that read a user's data on the simulator, each under the
 * simulator's lock: 401 for a dead token, 423 or 429 past the user's hourly limit.
 */
final class SimulatedUserData {

	private final SimulatorState state;

	private final SimulatorCounters counters;

	private final SimulatorProperties properties;

	private final Object lock;

	// Guarded by lock.
	private final SessionBook sessions;

	// Guarded by lock.
	private final UserRequestLimit userLimits;

	// Guarded by lock.
	private final SocketRequests socketRequests;

	SimulatedUserData(SimulatorState state, SimulatorCounters counters, SimulatorProperties properties) {
		this.state = state;
		this.counters = counters;
		this.properties = properties;
		this.lock = state.lock();
		this.sessions = state.sessions();
		this.userLimits = state.userLimits();
		this.socketRequests = state.socketRequests();
	}

	/**
	 * An authenticated REST call that reads user data ({@code GET /account/list},
	 * {@code /user/list}, {@code /contract/find}): 401 for a dead token, 423 or 429 past
	 * the user's hourly limit.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param endpoint the endpoint, as counted in {@link SimulatorStats}
	 * @param answer the data for the token's user
	 * @return the answer
	 */
	SimulatedReply read(String authorization, String endpoint, Function<SimulatedUser, Object> answer) {
		synchronized (this.lock) {
			Instant now = housekeep();
			SessionBook.Grant grant = this.sessions.find(SimulatedAuth.bearer(authorization), now);
			if (grant == null) {
				return SimulatedReply.empty(401);
			}
			this.counters.received(endpoint);
			SimulatedUser user = grant.session().user();
			int limited = this.userLimits.admit(user.name(), now, limits());
			return (limited != 0) ? SimulatedReply.empty(limited) : SimulatedReply.json(200, answer.apply(user));
		}
	}

	/**
	 * {@code POST /user/syncrequest}: the user's data, as the WebSocket's first answer
	 * gives it; past its hourly limit per IP address, a penalty.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param clientIp the caller's address
	 * @return the answer
	 */
	SimulatedReply syncRequest(String authorization, String clientIp) {
		synchronized (this.lock) {
			Instant now = housekeep();
			SessionBook.Grant grant = this.sessions.find(SimulatedAuth.bearer(authorization), now);
			if (grant == null) {
				return SimulatedReply.empty(401);
			}
			this.counters.received("user/syncrequest");
			SimulatedUser user = grant.session().user();
			int limited = this.userLimits.admit(user.name(), now, limits());
			if (limited != 0) {
				return SimulatedReply.empty(limited);
			}
			Map<String, Object> penalty = this.socketRequests.syncPenalty(clientIp, now);
			return SimulatedReply.json(200, (penalty != null) ? penalty : this.socketRequests.snapshot(user, now));
		}
	}

	private Instant housekeep() {
		return this.state.housekeep();
	}

	private SimulatorProperties.Limits limits() {
		return this.properties.limits();
	}

}
