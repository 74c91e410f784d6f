package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.logging.LogValue;

/**
 * Tradovate's auth API on the simulator: logins, renewals and {@code /auth/me}. A call
 * takes its scripted fault first, if any; otherwise the rules decide under the
 * simulator's lock: captcha locks, p-tickets and back-offs, the per-IP and per-user
 * limits, the session cap. Sockets of sessions a login closed are closed after the lock
 * is released.
 */
final class SimulatedAuth {

	private static final Logger logger = LoggerFactory.getLogger(SimulatedAuth.class);

	private final SimulatorProperties properties;

	private final Map<String, SimulatedUser> users;

	private final FaultPlan faults;

	private final SimulatorCounters counters;

	private final Supplier<Duration> tokenLifetime;

	private final TokenMint mint = new TokenMint();

	private final ExpirationTime expirationTime;

	private final SimulatorState state;

	private final Object lock;

	private final SimulatorClock clock;

	// Guarded by lock.
	private final SessionBook sessions;

	// Guarded by lock.
	private final PenaltyBox penalties;

	// Guarded by lock.
	private final UserRequestLimit userLimits;

	// Guarded by lock.
	private final SocketBook sockets;

	private final PenaltyIssuer penaltyIssuer;

	/**
	 * @param tokenLifetime the lifetime of the tokens issued now
	 */
	SimulatedAuth(SimulatorState state, SimulatorProperties properties, Map<String, SimulatedUser> users,
			FaultPlan faults, SimulatorCounters counters, Supplier<Duration> tokenLifetime) {
		this.properties = properties;
		this.users = users;
		this.faults = faults;
		this.counters = counters;
		this.tokenLifetime = tokenLifetime;
		this.expirationTime = new ExpirationTime(properties.expirationTimeWithMillis());
		this.state = state;
		this.lock = state.lock();
		this.clock = state.clock();
		this.sessions = state.sessions();
		this.penalties = state.penalties();
		this.userLimits = state.userLimits();
		this.sockets = state.sockets();
		this.penaltyIssuer = new PenaltyIssuer(this.penalties, this.mint, counters, properties);
	}

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
		return withToken(AuthOperation.RENEW, authorization, clientIp, this::renewLocked);
	}

	/**
	 * {@code GET /auth/me}.
	 * @param authorization the Authorization header, may be {@code null}
	 * @param clientIp the caller's address
	 * @return the answer
	 */
	SimulatedReply me(String authorization, String clientIp) {
		this.counters.meCalls.incrementAndGet();
		return withToken(AuthOperation.ME, authorization, clientIp, this::meLocked);
	}

	/**
	 * A call that carries a token: its scripted fault first, else the rules under the
	 * lock.
	 * @param locked the rules, given the bearer token and the caller's address
	 */
	private SimulatedReply withToken(AuthOperation operation, String authorization, String clientIp,
			BiFunction<String, String, SimulatedReply> locked) {
		Fault fault = this.faults.next(operation);
		if (fault != null && fault.kind() != Fault.Kind.DELAY) {
			return injected(fault, operation, clientIp, null);
		}
		Duration delay = delayOf(fault, operation);
		SimulatedReply reply;
		synchronized (this.lock) {
			reply = locked.apply(bearer(authorization), clientIp);
		}
		return reply.delayed(delay);
	}

	/**
	 * Open a session for a user, bypassing faults, limits and counters.
	 * @param user the user
	 * @param deviceId the login's device id, {@code null} for none
	 * @return the new session's tokens
	 */
	AccessTokenResponse openSession(SimulatedUser user, String deviceId) {
		AccessTokenResponse response;
		synchronized (this.lock) {
			Instant now = this.clock.now();
			this.sessions.prune(now);
			response = openSessionLocked(user, deviceId, now);
		}
		closeSockets();
		return response;
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
					return SimulatedReply.errorText(200, SimulatedTradovate.INVALID_TICKET);
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
		else if (held(AuthOperation.LOGIN, clientIp, this.penalties.failedLogins(clientIp, now),
				limits().failedLoginsPerHour(), now)) {
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
			return SimulatedReply.errorText(this.properties.wrongCredentialsStatus(),
					SimulatedTradovate.WRONG_CREDENTIALS);
		}
		this.counters.successfulLogins.incrementAndGet();
		return SimulatedReply.json(200, openSessionLocked(user, request.deviceId(), now));
	}

	private AccessTokenResponse openSessionLocked(SimulatedUser user, String deviceId, Instant now) {
		String accessToken = this.mint.token();
		String mdAccessToken = this.mint.token();
		Instant expiresAt = this.expirationTime.of(now, this.tokenLifetime.get());
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
		return tokenResponse(user, accessToken, mdAccessToken, now, expiresAt);
	}

	/** The answer to a login or a renewal that issued these tokens at {@code now}. */
	private AccessTokenResponse tokenResponse(SimulatedUser user, String accessToken, String mdAccessToken, Instant now,
			Instant expiresAt) {
		return AccessTokenResponse.of(user, accessToken, mdAccessToken, this.expirationTime.format(expiresAt),
				this.expirationTime.format(now.plus(this.properties.passwordLifetime())), this.properties.hibpHint());
	}

	private SimulatedReply renewLocked(String accessToken, String clientIp) {
		Instant now = housekeep();
		if (this.penalties.captchaLocked(clientIp, now)) {
			return this.penaltyIssuer.captcha(clientIp, now);
		}
		int limit = limits().renewalsPerHour();
		if (held(AuthOperation.RENEW, clientIp, this.penalties.renewals(clientIp, now), limit, now)) {
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
		Instant expiresAt = this.expirationTime.of(now, this.tokenLifetime.get());
		this.sessions.renew(grant, newToken, expiresAt, mdAccessToken, this.properties.renewalRevokesPreviousToken());
		this.counters.successfulRenewals.incrementAndGet();
		logger.debug("Session {} of {} renewed: token {}... replaces {}..., expires {}", grant.session().id(),
				grant.session().user().name(), Fingerprint.of(newToken), Fingerprint.of(accessToken), expiresAt);
		return SimulatedReply.json(200, tokenResponse(grant.session().user(), newToken, mdAccessToken, now, expiresAt));
	}

	private SimulatedReply meLocked(String accessToken, String clientIp) {
		Instant now = housekeep();
		if (this.penalties.captchaLocked(clientIp, now)) {
			return this.penaltyIssuer.captcha(clientIp, now);
		}
		int limit = limits().failedMePerHour();
		if (held(AuthOperation.ME, clientIp, this.penalties.failedMe(clientIp, now), limit, now)) {
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
				? SimulatedReply.errorText(200, SimulatedTradovate.DEAD_TOKEN) : SimulatedReply.empty(401);
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

	private SimulatorProperties.Limits limits() {
		return this.properties.limits();
	}

	/**
	 * Whether a call from this address is answered with a penalty: the hourly limit of
	 * its kind is reached ({@code count} calls, a {@code limit} of 0 for none), or a
	 * penalty's back-off still runs.
	 */
	private boolean held(AuthOperation operation, String clientIp, int count, int limit, Instant now) {
		return (limit > 0 && count >= limit) || this.penalties.backingOff(clientIp, operation, now);
	}

	/**
	 * The token of a bearer Authorization header.
	 * @param authorization the header, may be {@code null}
	 * @return the token, or {@code null} without one
	 */
	static String bearer(String authorization) {
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

	private Instant housekeep() {
		return this.state.housekeep();
	}

	private void closeSockets() {
		this.state.closeSockets();
	}

}
