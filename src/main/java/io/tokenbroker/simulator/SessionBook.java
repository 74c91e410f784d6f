package io.tokenbroker.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tradovate sessions and the access tokens that belong to them. A login opens a session,
 * a renewal adds a token to the same session, and a user holds at most a fixed number of
 * live sessions: one more login closes the oldest, killing all its tokens. Not
 * thread-safe: the lock of {@link SimulatorState} guards it.
 */
final class SessionBook {

	private final Map<String, List<Session>> sessionsByUser = new HashMap<>();

	private final Map<String, Grant> grants = new HashMap<>();

	private final PriorityQueue<Grant> grantsByExpiry = new PriorityQueue<>(Comparator.comparing(Grant::expiresAt));

	private final Map<String, Session> sessionsByMdToken = new HashMap<>();

	private long nextSessionId = 1;

	/**
	 * Open a new session, closing the oldest ones beyond the cap.
	 * @param user the user who logged in
	 * @param now the simulator's now
	 * @param expiresAt expiry of the session's first token
	 * @param accessToken the first access token
	 * @param mdAccessToken the market-data token
	 * @param deviceId the device id of the login, {@code null} when it sent none
	 * @param maxSessions sessions the user may hold, the new one included
	 * @return the new session and how many sessions it evicted
	 */
	Opening open(SimulatedUser user, Instant now, Instant expiresAt, String accessToken, String mdAccessToken,
			String deviceId, int maxSessions) {
		List<Session> sessions = liveSessions(user.name(), now);
		int evicted = 0;
		while (sessions.size() >= maxSessions) {
			// Tradovate closes the oldest session of the user (auth doc, "Sessions").
			close(sessions.remove(0));
			evicted++;
		}
		Session session = new Session(this.nextSessionId++, user, now, mdAccessToken, deviceId);
		sessions.add(session);
		this.sessionsByMdToken.put(mdAccessToken, session);
		grant(session, accessToken, expiresAt);
		return new Opening(session, evicted);
	}

	/**
	 * The live session whose market-data token this is.
	 * @param mdAccessToken the token a market-data socket presented
	 * @param now the simulator's now
	 * @return the session, or {@code null} for an unknown, revoked or dead token
	 */
	Session findMd(String mdAccessToken, Instant now) {
		Session session = (mdAccessToken != null) ? this.sessionsByMdToken.get(mdAccessToken) : null;
		return (session != null && session.isLive(now)) ? session : null;
	}

	/**
	 * Revoke one access token: it gets 401 from now on, its session lives on.
	 * @param accessToken the token
	 * @return whether it was valid until now
	 */
	boolean revoke(String accessToken) {
		Grant grant = this.grants.remove(accessToken);
		if (grant == null) {
			return false;
		}
		grant.session().tokens.remove(accessToken);
		return true;
	}

	/**
	 * Revoke a session's market-data token and, as they were issued with it, every access
	 * token of the session.
	 * @param session the session
	 * @return whether its market-data token was valid until now
	 */
	boolean revokeMd(Session session) {
		boolean revoked = this.sessionsByMdToken.remove(session.mdAccessToken, session);
		session.tokens.forEach(this.grants::remove);
		session.tokens.clear();
		return revoked;
	}

	/**
	 * The grant of a token that is known, unexpired and whose session is still open.
	 * @param accessToken the bearer token
	 * @param now the simulator's now
	 * @return the grant, or {@code null}
	 */
	Grant find(String accessToken, Instant now) {
		if (accessToken == null) {
			return null;
		}
		Grant grant = this.grants.get(accessToken);
		if (grant == null || grant.session().closed || !now.isBefore(grant.expiresAt())) {
			return null;
		}
		return grant;
	}

	/**
	 * Add a new token to the session of a valid grant.
	 * @param previous the grant being renewed
	 * @param accessToken the new token
	 * @param expiresAt its expiry
	 * @param mdAccessToken a new market-data token, or {@code null} to keep the session's
	 * @param revokePrevious whether the renewed token dies now
	 * @return the new grant
	 */
	Grant renew(Grant previous, String accessToken, Instant expiresAt, String mdAccessToken, boolean revokePrevious) {
		Session session = previous.session();
		if (mdAccessToken != null) {
			this.sessionsByMdToken.remove(session.mdAccessToken, session);
			session.mdAccessToken = mdAccessToken;
			this.sessionsByMdToken.put(mdAccessToken, session);
		}
		if (revokePrevious) {
			this.grants.remove(previous.accessToken());
			session.tokens.remove(previous.accessToken());
		}
		return grant(session, accessToken, expiresAt);
	}

	/**
	 * Close every session of a user, as a password change or an admin would.
	 * @param username the user
	 * @param now the simulator's now
	 * @return how many live sessions were closed
	 */
	int closeAll(String username, Instant now) {
		List<Session> sessions = liveSessions(username, now);
		sessions.forEach(this::close);
		int closed = sessions.size();
		sessions.clear();
		return closed;
	}

	/**
	 * Live sessions per user.
	 * @param now the simulator's now
	 * @return counts by username, users without live sessions left out
	 */
	Map<String, Integer> activeSessions(Instant now) {
		Map<String, Integer> active = new TreeMap<>();
		for (String username : new ArrayList<>(this.sessionsByUser.keySet())) {
			int count = liveSessions(username, now).size();
			if (count > 0) {
				active.put(username, count);
			}
		}
		return active;
	}

	/**
	 * Forget expired tokens and dead sessions, so long benchmarks do not grow memory.
	 * @param now the simulator's now
	 */
	void prune(Instant now) {
		Grant head = this.grantsByExpiry.peek();
		while (head != null && !now.isBefore(head.expiresAt())) {
			this.grantsByExpiry.poll();
			// The same token may have been removed already (revoked, session closed).
			if (this.grants.get(head.accessToken()) == head) {
				this.grants.remove(head.accessToken());
				head.session().tokens.remove(head.accessToken());
			}
			head = this.grantsByExpiry.peek();
		}
		this.sessionsByUser.values().removeIf((sessions) -> {
			sessions.removeIf((session) -> !session.isLive(now));
			return sessions.isEmpty();
		});
		this.sessionsByMdToken.values().removeIf((session) -> !session.isLive(now));
	}

	void clear() {
		this.sessionsByUser.clear();
		this.grants.clear();
		this.grantsByExpiry.clear();
		this.sessionsByMdToken.clear();
	}

	private List<Session> liveSessions(String username, Instant now) {
		List<Session> sessions = this.sessionsByUser.computeIfAbsent(username, (name) -> new ArrayList<>());
		sessions.removeIf((session) -> !session.isLive(now));
		return sessions;
	}

	private Grant grant(Session session, String accessToken, Instant expiresAt) {
		Grant grant = new Grant(accessToken, session, expiresAt);
		this.grants.put(accessToken, grant);
		this.grantsByExpiry.add(grant);
		session.tokens.add(accessToken);
		if (expiresAt.isAfter(session.expiresAt)) {
			session.expiresAt = expiresAt;
		}
		return grant;
	}

	private void close(Session session) {
		session.closed = true;
		session.tokens.forEach(this.grants::remove);
		session.tokens.clear();
		this.sessionsByMdToken.remove(session.mdAccessToken, session);
	}

	/**
	 * One Tradovate session: opened by a login, extended by renewals.
	 */
	static final class Session {

		private final long id;

		private final SimulatedUser user;

		private final Instant openedAt;

		private final Set<String> tokens = new HashSet<>();

		private Instant expiresAt;

		private final String deviceId;

		private String mdAccessToken;

		private boolean closed;

		private Session(long id, SimulatedUser user, Instant openedAt, String mdAccessToken, String deviceId) {
			this.id = id;
			this.user = user;
			this.openedAt = openedAt;
			this.expiresAt = openedAt;
			this.mdAccessToken = mdAccessToken;
			this.deviceId = (deviceId != null) ? deviceId : "";
		}

		/** The device id of the login that opened it, empty when it sent none. */
		String deviceId() {
			return this.deviceId;
		}

		/** Whether it was closed (a later login, an admin), rather than run out. */
		boolean closed() {
			return this.closed;
		}

		long id() {
			return this.id;
		}

		SimulatedUser user() {
			return this.user;
		}

		String mdAccessToken() {
			return this.mdAccessToken;
		}

		boolean isLive(Instant now) {
			// A session whose every token expired is over: only a new login helps.
			return !this.closed && now.isBefore(this.expiresAt);
		}

		@Override
		public String toString() {
			return "Session[id=" + this.id + ", user=" + this.user.name() + ", openedAt=" + this.openedAt
					+ ", expiresAt=" + this.expiresAt + ", closed=" + this.closed + "]";
		}

	}

	/**
	 * An access token and the session it belongs to.
	 *
	 * @param accessToken the token
	 * @param session its session
	 * @param expiresAt when it stops working
	 */
	record Grant(String accessToken, Session session, Instant expiresAt) {

		@Override
		public String toString() {
			return "Grant[accessToken=" + Fingerprint.of(this.accessToken) + "..., session=" + this.session.id()
					+ ", expiresAt=" + this.expiresAt + "]";
		}

	}

	/**
	 * The result of a login.
	 *
	 * @param session the new session
	 * @param evicted how many older sessions it closed
	 */
	record Opening(Session session, int evicted) {

	}

}
