package io.tokenbroker.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

import io.tokenbroker.logging.LogValue;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The simulated Tradovate server, and the handle tests use to script it: faults,
 * counters, token lifetime, clock offset and reset. Serves the auth calls, a little REST
 * user data and the trading and market-data WebSockets. Safe for many concurrent callers:
 * all session, socket and rate-limit state changes under one lock, held for microseconds;
 * frames are sent and sockets closed after it is released.
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

	private final TokenMint mint = new TokenMint();

	private final FaultPlan faults = new FaultPlan();

	private final SimulatorCounters counters = new SimulatorCounters();

	private final PenaltyIssuer penaltyIssuer;

	private final ExpirationTime expirationTime;

	private final Object lock = new Object();

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

	private volatile Duration tokenLifetime;

	SimulatedTradovate(SimulatorProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = new SimulatorClock(clock, properties.clockOffset());
		this.users = SimulatedUser.from(properties);
		this.tokenLifetime = properties.tokenLifetime();
		this.penaltyIssuer = new PenaltyIssuer(this.penalties, this.mint, this.counters, properties);
		this.expirationTime = new ExpirationTime(properties.expirationTimeWithMillis());
		this.socketRequests = new SocketRequests(this.sessions, this.sockets, this.userLimits, properties,
				new EndpointLimit(), this.counters::received, this.counters.penaltiesIssued::incrementAndGet);
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
			this.sessions.prune(now);
			active = this.sessions.activeSessions(now);
			openSockets = this.sockets.openByUser();
			revocations = this.sockets.revocations();
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
			this.sockets.closeAll(SocketClose.GOING_AWAY);
			this.sockets.clearCounts();
			this.socketRequests.clear();
			this.sessions.clear();
			this.penalties.clear();
			this.userLimits.clear();
			this.counters.clear();
			this.faults.clear();
			this.tokenLifetime = this.properties.tokenLifetime();
			this.clock.resetOffset();
		}
		closeSockets();
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
		SimulatedUser user = user(username);
		AccessTokenResponse response;
		synchronized (this.lock) {
			Instant now = this.clock.now();
			this.sessions.prune(now);
			response = openSessionLocked(user, deviceId, now);
		}
		closeSockets();
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
			closed = this.sessions.closeAll(username, now);
			this.sockets.closeEnded(now);
			logger.info("Closed {} session(s) of {}", closed, username);
		}
		closeSockets();
		return closed;
	}

	/**
	 * Change a user's cash balance, as a fill or a deposit would: sockets that asked for
	 * {@code user/syncrequest} get the change pushed.
	 * @param username a configured username
	 * @param amount the new balance
	 */
	public void changeCashBalance(String username, double amount) {
		SimulatedUser user = user(username);
		List<SocketRequests.Outgoing> out;
		synchronized (this.lock) {
			out = this.socketRequests.changeCashBalance(user, amount, this.clock.now());
		}
		out.forEach(SocketRequests.Outgoing::send);
	}

	/**
	 * WebSockets authorized for a user now.
	 * @param username the Tradovate username
	 * @return how many
	 */
	public int openSockets(String username) {
		return stats().openSockets().getOrDefault(username, 0);
	}

	// ---- the Tradovate auth API, called by TradovateAuthController ----

	/**
	 * {@code POST /auth/accesstokenrequest}.
	 * @param body the raw request body
	 * @param clientIp the caller's address
	 * @return the answer
	 */
	SimulatedReply login(byte[] body, String clientIp) {
		this.counters.loginCalls.incrementAndGet();
		Fault fault = this.faults.next(AuthOperation.LOGIN);
		AccessTokenRequest request = null;
		String unreadable = null;
		try {
			request = AccessTokenRequest.parse(body);
		}
		catch (AccessTokenRequest.UnreadableLoginException ex) {
			unreadable = ex.getMessage();
		}
		if (fault != null && fault.kind() != Fault.Kind.DELAY) {
			return injected(fault, AuthOperation.LOGIN, clientIp, (request != null) ? request.fingerprint() : null);
		}
		Duration delay = delayOf(fault, AuthOperation.LOGIN);
		if (request == null) {
			logger.debug("Unreadable login from {}: {}", clientIp, unreadable);
			return SimulatedReply.errorText(400, unreadable).delayed(delay);
		}
		SimulatedReply reply;
		synchronized (this.lock) {
			reply = loginLocked(request, clientIp);
		}
		closeSockets();
		return reply.delayed(delay);
	}

	/**
	 * {@code GET /auth/renewaccesstoken}.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param clientIp the caller's address
	 * @return the answer
	 */
	SimulatedReply renew(String authorization, String clientIp) {
		this.counters.renewalCalls.incrementAndGet();
		Fault fault = this.faults.next(AuthOperation.RENEW);
		if (fault != null && fault.kind() != Fault.Kind.DELAY) {
			return injected(fault, AuthOperation.RENEW, clientIp, null);
		}
		Duration delay = delayOf(fault, AuthOperation.RENEW);
		SimulatedReply reply;
		synchronized (this.lock) {
			reply = renewLocked(bearer(authorization), clientIp);
		}
		return reply.delayed(delay);
	}

	/**
	 * {@code GET /auth/me}.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param clientIp the caller's address
	 * @return the answer
	 */
	SimulatedReply me(String authorization, String clientIp) {
		this.counters.meCalls.incrementAndGet();
		Fault fault = this.faults.next(AuthOperation.ME);
		if (fault != null && fault.kind() != Fault.Kind.DELAY) {
			return injected(fault, AuthOperation.ME, clientIp, null);
		}
		Duration delay = delayOf(fault, AuthOperation.ME);
		SimulatedReply reply;
		synchronized (this.lock) {
			reply = meLocked(bearer(authorization), clientIp);
		}
		return reply.delayed(delay);
	}

	/**
	 * An authenticated REST call that reads user data ({@code GET /account/list},
	 * {@code /user/list}, {@code /contract/find}): 401 for a dead token, 423 or 429 past
	 * the user's hourly limit.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param answer the data for the token's user
	 * @return the answer
	 */
	SimulatedReply userData(String authorization, String endpoint, Function<SimulatedUser, Object> answer) {
		synchronized (this.lock) {
			Instant now = housekeep();
			SessionBook.Grant grant = this.sessions.find(bearer(authorization), now);
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
			SessionBook.Grant grant = this.sessions.find(bearer(authorization), now);
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

	// ---- the WebSockets, called by TradovateSocketHandler and SocketTicker ----

	/**
	 * A WebSocket connected: it gets the open frame and must authorize in time.
	 * @param kind trading or market data
	 * @param address the client's IP address
	 * @param link the connection
	 * @return the socket's id
	 */
	long socketOpened(SocketKind kind, String address, SocketLink link) {
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
	void socketFrame(long socketId, String text) {
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
	void socketClosed(long socketId) {
		synchronized (this.lock) {
			this.sockets.forget(socketId);
		}
	}

	/**
	 * The server's heartbeat to every socket, and the close of those that did not
	 * authorize in time, stayed silent, or whose session ended.
	 */
	void socketTick() {
		List<SocketLink> links;
		synchronized (this.lock) {
			Instant now = housekeep();
			this.sockets.sweep(now, this.properties.websocket());
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
	void closeAllSockets() {
		synchronized (this.lock) {
			this.sockets.closeAll(SocketClose.GOING_AWAY);
		}
		closeSockets();
	}

	private void closeSockets() {
		List<SocketBook.Closing> closing;
		synchronized (this.lock) {
			closing = this.sockets.drainClosing();
		}
		closing.forEach(SocketBook.Closing::run);
	}

	private SimulatedUser user(String username) {
		SimulatedUser user = this.users.get(username);
		Assert.notNull(user, () -> "Unknown simulated user '" + username + "'");
		return user;
	}

	private SimulatedReply loginLocked(AccessTokenRequest request, String clientIp) {
		Instant now = housekeep();
		if (this.penalties.captchaLocked(clientIp, now)) {
			return this.penaltyIssuer.captcha(clientIp, now);
		}
		String fingerprint = request.fingerprint();
		if (request.pTicket() != null) {
			switch (this.penalties.redeem(request.pTicket(), clientIp, fingerprint, now)) {
				case INVALID -> {
					logger.info("Invalid p-ticket {} from {}", Fingerprint.of(request.pTicket()), clientIp);
					this.penaltyIssuer.failedLogin(clientIp, now);
					return SimulatedReply.errorText(200, INVALID_TICKET);
				}
				case TOO_EARLY -> {
					logger.info("p-ticket {} from {} resent before its p-time", Fingerprint.of(request.pTicket()),
							clientIp);
					return this.penaltyIssuer.penalize(clientIp, AuthOperation.LOGIN, fingerprint, now);
				}
				case ACCEPTED ->
					logger.debug("p-ticket {} from {} accepted", Fingerprint.of(request.pTicket()), clientIp);
			}
		}
		else if (limitReached(this.penalties.failedLogins(clientIp, now), limits().failedLoginsPerHour())
				|| this.penalties.backingOff(clientIp, AuthOperation.LOGIN, now)) {
			return this.penaltyIssuer.penalize(clientIp, AuthOperation.LOGIN, fingerprint, now);
		}
		String problem = request.problem();
		if (problem != null) {
			this.penaltyIssuer.failedLogin(clientIp, now);
			return SimulatedReply.errorText(200, problem);
		}
		SimulatedUser user = this.users.get(request.name());
		if (user == null || !user.acceptsCredentialsOf(request)) {
			logger.info("Failed login for {} from {}", LogValue.quoted(request.name()), clientIp);
			this.penaltyIssuer.failedLogin(clientIp, now);
			return SimulatedReply.errorText(this.properties.wrongCredentialsStatus(), WRONG_CREDENTIALS);
		}
		this.counters.successfulLogins.incrementAndGet();
		return SimulatedReply.json(200, openSessionLocked(user, request.deviceId(), now));
	}

	private AccessTokenResponse openSessionLocked(SimulatedUser user, String deviceId, Instant now) {
		String accessToken = this.mint.token();
		String mdAccessToken = this.mint.token();
		Instant expiresAt = this.expirationTime.of(now, this.tokenLifetime);
		SessionBook.Opening opening = this.sessions.open(user, now, expiresAt, accessToken, mdAccessToken, deviceId,
				this.properties.maxSessionsPerUser());
		if (opening.evicted() > 0) {
			this.counters.sessionsEvicted.addAndGet(opening.evicted());
			this.sockets.closeEnded(now);
			logger.info("Login of {} closed {} older session(s) (at most {} per user)", user.name(), opening.evicted(),
					this.properties.maxSessionsPerUser());
		}
		logger.debug("Session {} opened for {}, token {}... expires {}", opening.session().id(), user.name(),
				Fingerprint.of(accessToken), expiresAt);
		return AccessTokenResponse.of(user, accessToken, mdAccessToken, this.expirationTime.format(expiresAt),
				this.expirationTime.format(now.plus(this.properties.passwordLifetime())), this.properties.hibpHint());
	}

	private SimulatedReply renewLocked(String accessToken, String clientIp) {
		Instant now = housekeep();
		if (this.penalties.captchaLocked(clientIp, now)) {
			return this.penaltyIssuer.captcha(clientIp, now);
		}
		int limit = limits().renewalsPerHour();
		if (limitReached(this.penalties.renewals(clientIp, now), limit)
				|| this.penalties.backingOff(clientIp, AuthOperation.RENEW, now)) {
			return this.penaltyIssuer.penalize(clientIp, AuthOperation.RENEW, null, now);
		}
		if (limit > 0) {
			this.penalties.recordRenewal(clientIp, now, limit);
		}
		SessionBook.Grant grant = this.sessions.find(accessToken, now);
		if (grant == null) {
			logger.debug("Renewal refused for token {}... from {}", Fingerprint.of(accessToken), clientIp);
			return deadToken();
		}
		int limited = this.userLimits.admit(grant.session().user().name(), now, limits());
		if (limited != 0) {
			return SimulatedReply.empty(limited);
		}
		String newToken = this.mint.token();
		String mdAccessToken = this.properties.renewalReturnsMdToken() ? this.mint.token() : null;
		Instant expiresAt = this.expirationTime.of(now, this.tokenLifetime);
		this.sessions.renew(grant, newToken, expiresAt, mdAccessToken, this.properties.renewalRevokesPreviousToken());
		this.counters.successfulRenewals.incrementAndGet();
		logger.debug("Session {} of {} renewed: token {}... replaces {}..., expires {}", grant.session().id(),
				grant.session().user().name(), Fingerprint.of(newToken), Fingerprint.of(accessToken), expiresAt);
		return SimulatedReply.json(200, AccessTokenResponse.of(grant.session().user(), newToken, mdAccessToken,
				this.expirationTime.format(expiresAt),
				this.expirationTime.format(now.plus(this.properties.passwordLifetime())), this.properties.hibpHint()));
	}

	private SimulatedReply meLocked(String accessToken, String clientIp) {
		Instant now = housekeep();
		if (this.penalties.captchaLocked(clientIp, now)) {
			return this.penaltyIssuer.captcha(clientIp, now);
		}
		int limit = limits().failedMePerHour();
		if (limitReached(this.penalties.failedMe(clientIp, now), limit)
				|| this.penalties.backingOff(clientIp, AuthOperation.ME, now)) {
			return this.penaltyIssuer.penalize(clientIp, AuthOperation.ME, null, now);
		}
		SessionBook.Grant grant = this.sessions.find(accessToken, now);
		if (grant == null) {
			this.counters.failedMeCalls.incrementAndGet();
			if (limit > 0) {
				this.penalties.recordFailedMe(clientIp, now, limit);
			}
			logger.debug("/auth/me refused for token {}... from {}", Fingerprint.of(accessToken), clientIp);
			return deadToken();
		}
		int limited = this.userLimits.admit(grant.session().user().name(), now, limits());
		if (limited != 0) {
			return SimulatedReply.empty(limited);
		}
		return SimulatedReply.json(200, UserProfile.of(grant.session().user()));
	}

	private SimulatedReply deadToken() {
		return (this.properties.deadTokenAnswer() == SimulatorProperties.DeadTokenAnswer.ERROR_TEXT)
				? SimulatedReply.errorText(200, DEAD_TOKEN) : SimulatedReply.empty(401);
	}

	private SimulatedReply injected(Fault fault, AuthOperation operation, String clientIp, String fingerprint) {
		this.counters.faultsInjected.incrementAndGet();
		logger.debug("Injected {} fault for {} from {}", fault.kind(), operation, clientIp);
		SimulatedReply reply = switch (fault.kind()) {
			case PENALTY -> injectedPenalty(fault, operation, clientIp, fingerprint);
			case ERROR_TEXT -> SimulatedReply.errorText(200, fault.body());
			case PARTIAL_BODY, STALL ->
				new SimulatedReply(200, fault.contentType(), Fault.TRUNCATED_JSON + "01\"}", Duration.ZERO)
					.cut((fault.kind() == Fault.Kind.STALL) ? SimulatedReply.Cut.STALL : SimulatedReply.Cut.PARTIAL);
			default -> new SimulatedReply(fault.status(), fault.contentType(), fault.body(), Duration.ZERO);
		};
		return reply.delayed(fault.delay());
	}

	private SimulatedReply injectedPenalty(Fault fault, AuthOperation operation, String clientIp, String fingerprint) {
		String ticket = this.mint.ticket();
		synchronized (this.lock) {
			this.penaltyIssuer.scripted(ticket, fault, operation, clientIp, fingerprint, this.clock.now());
		}
		return SimulatedReply.json(200, PenaltyIssuer.body(ticket, fault.penaltyTime(), fault.captcha()));
	}

	private Duration delayOf(Fault fault, AuthOperation operation) {
		if (fault == null) {
			return Duration.ZERO;
		}
		this.counters.faultsInjected.incrementAndGet();
		logger.debug("Injected delay of {} for {}", fault.delay(), operation);
		return fault.delay();
	}

	private Instant housekeep() {
		Instant now = this.clock.now();
		this.sessions.prune(now);
		this.penalties.prune(now);
		this.userLimits.prune(now);
		return now;
	}

	private SimulatorProperties.Limits limits() {
		return this.properties.limits();
	}

	private static boolean limitReached(int count, int limit) {
		return limit > 0 && count >= limit;
	}

	private static String bearer(String authorization) {
		if (authorization == null) {
			return null;
		}
		String value = authorization.trim();
		if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = value.substring(7).trim();
			return token.isEmpty() ? null : token;
		}
		return null;
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
