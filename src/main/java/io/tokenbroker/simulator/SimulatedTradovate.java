package io.tokenbroker.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The simulated Tradovate server, and the handle tests use to script it: faults,
 * counters, token lifetime, clock offset and reset. Serves the auth calls
 * ({@link SimulatedAuth}), a little REST user data ({@link SimulatedUserData}) and the
 * trading and market-data WebSockets ({@link SimulatedSockets}). Safe for many concurrent
 * callers: all session, socket and rate-limit state changes under one lock
 * ({@link SimulatorState}), held for microseconds; frames are sent and sockets closed
 * after it is released.
 */
@Component
@PartOf(Feature.SIMULATOR)
public class SimulatedTradovate {

	static final String WRONG_CREDENTIALS = "Incorrect username or password. Please try again.";

	static final String INVALID_TICKET = "Invalid p-ticket";

	/** The errorText of a dead token, with {@code dead-token-answer: error-text}. */
	static final String DEAD_TOKEN = "Access is denied";

	private static final Logger logger = LoggerFactory.getLogger(SimulatedTradovate.class);

	private final SimulatorProperties properties;

	private final SimulatorClock clock;

	private final Map<String, SimulatedUser> users;

	private final FaultPlan faults = new FaultPlan();

	private final SimulatorCounters counters = new SimulatorCounters();

	private final SimulatorState state;

	private final Object lock;

	private final SimulatedAuth auth;

	private final SimulatedUserData userData;

	private final SimulatedSockets sockets;

	private volatile Duration tokenLifetime;

	SimulatedTradovate(SimulatorProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = new SimulatorClock(clock, properties.clockOffset());
		this.users = SimulatedUser.from(properties);
		this.tokenLifetime = properties.tokenLifetime();
		this.state = new SimulatorState(this.clock, properties, this.counters);
		this.lock = this.state.lock();
		this.auth = new SimulatedAuth(this.state, properties, this.users, this.faults, this.counters,
				this::tokenLifetime);
		this.userData = new SimulatedUserData(this.state, this.counters, properties);
		this.sockets = new SimulatedSockets(this.state, properties.websocket());
	}

	// ---- Java API for tests and benchmarks ----

	/**
	 * Answer the next call of an operation with a fault.
	 * @param operation the operation
	 * @param fault the fault
	 */
	public void enqueue(AuthOperation operation, Fault fault) {
		enqueue(operation, fault, 1);
	}

	/**
	 * Answer the next {@code times} calls of an operation with a fault, after any faults
	 * already queued.
	 * @param operation the operation
	 * @param fault the fault
	 * @param times how many calls get it
	 */
	public void enqueue(AuthOperation operation, Fault fault, int times) {
		this.faults.enqueue(operation, fault, times);
	}

	/**
	 * Answer every call of an operation with a fault until cleared (queued faults go
	 * first).
	 * @param operation the operation
	 * @param fault the fault
	 */
	public void stick(AuthOperation operation, Fault fault) {
		this.faults.stick(operation, fault);
	}

	/**
	 * Calls of an operation that will still get a fault.
	 * @param operation the operation
	 * @return queued uses left, or {@link Integer#MAX_VALUE} while a sticky fault is set
	 */
	public int pendingFaults(AuthOperation operation) {
		return this.faults.pending(operation);
	}

	/**
	 * Drop the queued and sticky faults of one operation.
	 * @param operation the operation
	 */
	public void clearFaults(AuthOperation operation) {
		this.faults.clear(operation);
	}

	/**
	 * Drop every queued and sticky fault.
	 */
	public void clearFaults() {
		this.faults.clear();
	}

	/**
	 * A snapshot of the counters and live sessions.
	 * @return the statistics
	 */
	public SimulatorStats stats() {
		Map<String, Integer> active;
		Map<String, Integer> openSockets;
		Map<String, Integer> revocations;
		synchronized (this.lock) {
			Instant now = this.clock.now();
			this.state.sessions().prune(now);
			active = this.state.sessions().activeSessions(now);
			openSockets = this.state.sockets().openByUser();
			revocations = this.state.sockets().revocations();
		}
		return this.counters.snapshot(active, openSockets, revocations);
	}

	/**
	 * Live sessions of one user.
	 * @param username the Tradovate username
	 * @return how many sessions the user holds now
	 */
	public int activeSessions(String username) {
		return stats().activeSessions(username);
	}

	/**
	 * Back to the state at start: no sessions, counters, rate-limit windows, tickets,
	 * captcha locks or faults, and the configured token lifetime and clock offset.
	 */
	public void reset() {
		synchronized (this.lock) {
			this.state.clear();
			this.counters.clear();
			this.faults.clear();
			this.tokenLifetime = this.properties.tokenLifetime();
			this.clock.resetOffset();
		}
		this.state.closeSockets();
		logger.debug("Simulator reset");
	}

	/**
	 * Lifetime of the tokens issued from now on.
	 * @return the lifetime
	 */
	public Duration tokenLifetime() {
		return this.tokenLifetime;
	}

	/**
	 * Change the lifetime of the tokens issued from now on (tokens already out keep
	 * theirs).
	 * @param tokenLifetime the new lifetime, positive
	 */
	public void setTokenLifetime(Duration tokenLifetime) {
		Assert.isTrue(tokenLifetime != null && !tokenLifetime.isNegative() && !tokenLifetime.isZero(),
				"tokenLifetime must be positive");
		this.tokenLifetime = tokenLifetime;
	}

	/**
	 * Offset of the simulator's clock from the application clock.
	 * @return the offset
	 */
	public Duration clockOffset() {
		return this.clock.offset();
	}

	/**
	 * Set the offset of the simulator's clock from the application clock (negative: the
	 * simulator is behind). Moves token expiry, rate-limit windows and the Date header.
	 * @param clockOffset the offset
	 */
	public void setClockOffset(Duration clockOffset) {
		Assert.notNull(clockOffset, "clockOffset must not be null");
		this.clock.setOffset(clockOffset);
	}

	/**
	 * Move the simulator's clock forward (e.g. past token expiry or p-time) without
	 * waiting; adds to the clock offset.
	 * @param amount how far
	 */
	public void advanceClock(Duration amount) {
		Assert.notNull(amount, "amount must not be null");
		this.clock.advance(amount);
	}

	/**
	 * The simulator's now: the application clock plus the offset.
	 * @return now
	 */
	public Instant now() {
		return this.clock.now();
	}

	/**
	 * Log a user in from elsewhere (another service, a person in the web UI), bypassing
	 * faults, limits and counters: the way to make the session cap kick out the broker's
	 * session.
	 * @param username a configured username
	 * @return the new session's access token
	 */
	public String openSession(String username) {
		return openSession(username, null).accessToken();
	}

	/**
	 * Log a user in from a given device, bypassing faults, limits and counters.
	 * @param username a configured username
	 * @param deviceId the login's device id, {@code null} for none
	 * @return the new session's tokens
	 */
	public SessionTokens openSession(String username, String deviceId) {
		AccessTokenResponse response = this.auth.openSession(user(username), deviceId);
		return new SessionTokens(response.accessToken(), response.mdAccessToken());
	}

	/**
	 * Close every session of a user, as Tradovate does on a password change: all their
	 * tokens get 401 from now on.
	 * @param username the Tradovate username
	 * @return how many live sessions were closed
	 */
	public int closeSessions(String username) {
		int closed;
		synchronized (this.lock) {
			Instant now = this.clock.now();
			closed = this.state.sessions().closeAll(username, now);
			this.state.sockets().closeEnded(now);
			logger.info("Closed {} session(s) of {}", closed, username);
		}
		this.state.closeSockets();
		return closed;
	}

	/**
	 * Change a user's cash balance, as a fill or a deposit would: sockets that asked for
	 * {@code user/syncrequest} get the change pushed.
	 * @param username a configured username
	 * @param amount the new balance
	 */
	public void changeCashBalance(String username, double amount) {
		this.sockets.changeCashBalance(user(username), amount);
	}

	/**
	 * WebSockets authorized for a user now.
	 * @param username the Tradovate username
	 * @return how many
	 */
	public int openSockets(String username) {
		return stats().openSockets().getOrDefault(username, 0);
	}

	// ---- the Tradovate API, called by its HTTP adapter: see the classes named ----

	/** {@code POST /auth/accesstokenrequest}: {@link SimulatedAuth#login}. */
	SimulatedReply login(byte[] body, String clientIp) {
		return this.auth.login(body, clientIp);
	}

	/** {@code GET /auth/renewaccesstoken}: {@link SimulatedAuth#renew}. */
	SimulatedReply renew(String authorization, String clientIp) {
		return this.auth.renew(authorization, clientIp);
	}

	/** {@code GET /auth/me}: {@link SimulatedAuth#me}. */
	SimulatedReply me(String authorization, String clientIp) {
		return this.auth.me(authorization, clientIp);
	}

	/** {@code GET /account/list} and the like: {@link SimulatedUserData#read}. */
	SimulatedReply userData(String authorization, String endpoint, Function<SimulatedUser, Object> answer) {
		return this.userData.read(authorization, endpoint, answer);
	}

	/** {@code POST /user/syncrequest}: {@link SimulatedUserData#syncRequest}. */
	SimulatedReply syncRequest(String authorization, String clientIp) {
		return this.userData.syncRequest(authorization, clientIp);
	}

	/** A WebSocket connected: {@link SimulatedSockets#opened}. */
	long socketOpened(SocketKind kind, String address, SocketLink link) {
		return this.sockets.opened(kind, address, link);
	}

	/** A text frame from a client: {@link SimulatedSockets#frame}. */
	void socketFrame(long socketId, String text) {
		this.sockets.frame(socketId, text);
	}

	/** A connection ended: {@link SimulatedSockets#closed}. */
	void socketClosed(long socketId) {
		this.sockets.closed(socketId);
	}

	/** The server's heartbeat: {@link SimulatedSockets#tick}. */
	void socketTick() {
		this.sockets.tick();
	}

	/** A quote for every subscription: {@link SimulatedSockets#quoteTick}. */
	void quoteTick() {
		this.sockets.quoteTick();
	}

	/**
	 * Close every socket, as a server that stops does: {@link SimulatedSockets#closeAll}.
	 */
	void closeAllSockets() {
		this.sockets.closeAll();
	}

	private SimulatedUser user(String username) {
		SimulatedUser user = this.users.get(username);
		Assert.notNull(user, () -> "Unknown simulated user '" + username + "'");
		return user;
	}

	/**
	 * The tokens of a session opened by {@link #openSession(String, String)}.
	 *
	 * @param accessToken the access token
	 * @param mdAccessToken the market-data token
	 */
	public record SessionTokens(String accessToken, String mdAccessToken) {

		@Override
		public String toString() {
			return "SessionTokens[accessToken=***, mdAccessToken=***]";
		}

	}

}
