package io.tokenbroker.simulator;

import java.util.Map;

/**
 * A snapshot of the simulator's counters since start or the last
 * {@link SimulatedTradovate#reset() reset}. Calls count every request received, including
 * those answered by a fault or a penalty.
 *
 * @param loginCalls login requests received
 * @param successfulLogins logins that opened a session
 * @param failedLogins logins processed and refused (wrong credentials, missing fields,
 * invalid p-ticket); these are what Tradovate's failed-login limit counts
 * @param renewalCalls renewal requests received
 * @param successfulRenewals renewals that issued a new token
 * @param meCalls {@code /auth/me} requests received
 * @param failedMeCalls {@code /auth/me} requests processed and answered 401
 * @param penaltiesIssued answers carrying a p-ticket (captcha ones and injected ones
 * included)
 * @param captchasIssued answers carrying {@code p-captcha: true} (injected ones included)
 * @param faultsInjected requests answered (or delayed) by a scripted fault
 * @param sessionsEvicted sessions closed because their user logged in once too often
 * @param activeSessions live sessions per username (users without any are absent)
 * @param openSockets authorized WebSockets per username (users without any are absent)
 * @param revokedTokens tokens revoked by the WebSocket connection limits, per username
 * @param requests authenticated requests received (REST calls with a live token and
 * requests on authorized WebSockets, the auth calls apart) per endpoint, such as
 * {@code user/syncrequest}
 */
public record SimulatorStats(long loginCalls, long successfulLogins, long failedLogins, long renewalCalls,
		long successfulRenewals, long meCalls, long failedMeCalls, long penaltiesIssued, long captchasIssued,
		long faultsInjected, long sessionsEvicted, Map<String, Integer> activeSessions,
		Map<String, Integer> openSockets, Map<String, Integer> revokedTokens, Map<String, Long> requests) {

	public SimulatorStats {
		activeSessions = Map.copyOf(activeSessions);
		openSockets = Map.copyOf(openSockets);
		revokedTokens = Map.copyOf(revokedTokens);
		requests = Map.copyOf(requests);
	}

	/**
	 * Counters without request counts, as before the simulator counted them.
	 */
	public SimulatorStats(long loginCalls, long successfulLogins, long failedLogins, long renewalCalls,
			long successfulRenewals, long meCalls, long failedMeCalls, long penaltiesIssued, long captchasIssued,
			long faultsInjected, long sessionsEvicted, Map<String, Integer> activeSessions,
			Map<String, Integer> openSockets, Map<String, Integer> revokedTokens) {
		this(loginCalls, successfulLogins, failedLogins, renewalCalls, successfulRenewals, meCalls, failedMeCalls,
				penaltiesIssued, captchasIssued, faultsInjected, sessionsEvicted, activeSessions, openSockets,
				revokedTokens, Map.of());
	}

	/**
	 * Authenticated requests of one endpoint received.
	 * @param endpoint e.g. {@code user/syncrequest}
	 * @return how many
	 */
	public long requests(String endpoint) {
		return this.requests.getOrDefault(endpoint, 0L);
	}

	/**
	 * Counters without WebSockets, as before the simulator had them.
	 */
	public SimulatorStats(long loginCalls, long successfulLogins, long failedLogins, long renewalCalls,
			long successfulRenewals, long meCalls, long failedMeCalls, long penaltiesIssued, long captchasIssued,
			long faultsInjected, long sessionsEvicted, Map<String, Integer> activeSessions) {
		this(loginCalls, successfulLogins, failedLogins, renewalCalls, successfulRenewals, meCalls, failedMeCalls,
				penaltiesIssued, captchasIssued, faultsInjected, sessionsEvicted, activeSessions, Map.of(), Map.of());
	}

	/**
	 * Tokens of one user revoked by the WebSocket connection limits.
	 * @param username the Tradovate username
	 * @return how many
	 */
	public int revokedTokens(String username) {
		return this.revokedTokens.getOrDefault(username, 0);
	}

	/**
	 * Live sessions of one user.
	 * @param username the Tradovate username
	 * @return how many sessions the user holds now
	 */
	public int activeSessions(String username) {
		return this.activeSessions.getOrDefault(username, 0);
	}

}
