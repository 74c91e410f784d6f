package io.tokenbroker.simulator;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Configuration of the Tradovate simulator. Defaults are Tradovate's documented figures.
 *
 * @param enabled whether the simulator's endpoints and beans exist at all
 * @param users simulated Tradovate users by username; when empty a single default user
 * {@code sim-user} / {@code sim-password}, app {@code sim-app}, cid 1, secret
 * {@code sim-secret} exists
 * @param wrongCredentialsStatus HTTP status of a login with wrong credentials: 200 (with
 * errorText) or 401, Tradovate has been seen doing both
 * @param tokenLifetime lifetime of each access token (Tradovate currently says 80
 * minutes)
 * @param clockOffset offset added to the application clock to get the simulator's "now",
 * may be negative, to test clock-skew handling
 * @param maxSessionsPerUser concurrent sessions per user; a further login closes the
 * oldest
 * @param renewalReturnsMdToken whether a renewal answers with a fresh mdAccessToken (the
 * field is absent otherwise)
 * @param renewalRevokesPreviousToken whether a renewal invalidates the token it renewed
 * (otherwise that token stays valid until its own expiry)
 * @param expirationTimeWithMillis whether expirationTime carries milliseconds (Tradovate
 * sends both forms)
 * @param limits rate limits in a rolling one-hour window: per IP for each endpoint, per
 * user for every authenticated request
 * @param penaltiesBeforeCaptcha penalties in the window after which the next violation is
 * answered with p-captcha
 * @param captchaLock how long a /24 subnet gets only captcha answers once it triggered
 * one
 * @param demoClientKey public demo client key shown in the start-up curl line when the
 * broker runs with the embedded simulator
 * @param hibpHint the {@code hibpHint} text of every login answer (Tradovate sends one
 * when the password appears in a known breach); absent (null) when not set
 * @param deadTokenAnswer how {@code /auth/me} and renewal answer a dead token:
 * {@code unauthorized} (HTTP 401, empty body) or {@code error-text} (HTTP 200 with
 * {@code errorText}); Tradovate's OpenAPI description allows both
 * @param websocket the trading and market-data WebSockets
 */
@ConfigurationProperties("simulator")
@PartOf(Feature.SIMULATOR)
@Validated
record SimulatorProperties(boolean enabled, Map<String, @Valid User> users,
		@DefaultValue("200") int wrongCredentialsStatus, @DefaultValue("80m") @NotNull Duration tokenLifetime,
		@DefaultValue("0s") @NotNull Duration clockOffset, @DefaultValue("2") @Min(1) int maxSessionsPerUser,
		boolean renewalReturnsMdToken, boolean renewalRevokesPreviousToken,
		@DefaultValue("true") boolean expirationTimeWithMillis, @DefaultValue @Valid Limits limits,
		@DefaultValue("3") @Min(0) int penaltiesBeforeCaptcha, @DefaultValue("1h") @NotNull Duration captchaLock,
		String demoClientKey, String hibpHint, @DefaultValue("unauthorized") @NotNull DeadTokenAnswer deadTokenAnswer,
		@DefaultValue @Valid WebSockets websocket) {

	SimulatorProperties {
		users = (users != null) ? Map.copyOf(users) : Map.of();
		if (wrongCredentialsStatus != 200 && wrongCredentialsStatus != 401) {
			throw new IllegalArgumentException("simulator.wrong-credentials-status must be 200 or 401");
		}
	}

	/**
	 * Properties with every default, for tests and code that builds the simulator by
	 * hand.
	 * @return the default configuration with the simulator enabled
	 */
	static SimulatorProperties defaults() {
		return new SimulatorProperties(true, Map.of(), 200, Duration.ofMinutes(80), Duration.ZERO, 2, false, false,
				true, Limits.defaults(), 3, Duration.ofHours(1), null, null, DeadTokenAnswer.UNAUTHORIZED,
				WebSockets.defaults());
	}

	/**
	 * One simulated Tradovate user and its API key.
	 *
	 * @param name login name, when it differs from the map key (keys lose dots and case)
	 * @param password the user's password
	 * @param appId the API key's name
	 * @param cid the API key's numeric id
	 * @param secret the API key's secret ({@code sec} in the login body)
	 * @param userId Tradovate user id; derived from the name when absent
	 * @param hasLive whether the user has a live account
	 */
	record User(String name, @NotBlank String password, @NotBlank String appId, @NotNull Long cid,
			@NotBlank String secret, Long userId, boolean hasLive) {

		@Override
		public String toString() {
			return "User[name=" + this.name + ", password=***, appId=" + this.appId + ", cid=" + this.cid
					+ ", secret=***, userId=" + this.userId + ", hasLive=" + this.hasLive + "]";
		}

	}

	/**
	 * Tradovate's rate limits (rolling hour); 0 turns a limit off, for benchmarks.
	 *
	 * @param failedLoginsPerHour failed logins from one IP before logins get penalties
	 * @param renewalsPerHour renewal calls (all of them) from one IP before renewals get
	 * penalties
	 * @param failedMePerHour failed /auth/me calls from one IP before /auth/me gets
	 * penalties
	 * @param loginPenaltyTime p-time of the first login penalty in the window, doubled
	 * for each further penalty of the caller's /24 subnet
	 * @param renewalPenaltyTime p-time of the first renewal penalty, doubled likewise
	 * @param mePenaltyTime p-time of the first /auth/me penalty, doubled likewise
	 * @param requestsPerHour authenticated requests per user (REST calls with a valid
	 * token and WebSocket requests) before the user gets 423, then 429
	 * @param userLock how long a user past requests-per-hour gets 429 with an empty body;
	 * every request meanwhile starts it again
	 * @param syncRequestsPerHour {@code user/syncrequest} calls (REST and WebSocket,
	 * every call counted) from one IP before they get penalties
	 * @param syncRequestPenaltyTime p-time of a {@code user/syncrequest} penalty, and the
	 * back-off during which every further call gets one
	 */
	record Limits(@DefaultValue("5") @Min(0) int failedLoginsPerHour, @DefaultValue("15") @Min(0) int renewalsPerHour,
			@DefaultValue("10") @Min(0) int failedMePerHour, @DefaultValue("15s") @NotNull Duration loginPenaltyTime,
			@DefaultValue("15s") @NotNull Duration renewalPenaltyTime,
			@DefaultValue("30s") @NotNull Duration mePenaltyTime, @DefaultValue("5000") @Min(0) int requestsPerHour,
			@DefaultValue("1h") @NotNull Duration userLock, @DefaultValue("300") @Min(0) int syncRequestsPerHour,
			@DefaultValue("3s") @NotNull Duration syncRequestPenaltyTime) {

		static Limits defaults() {
			return new Limits(5, 15, 10, Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(30), 5000,
					Duration.ofHours(1), 300, Duration.ofSeconds(3));
		}

		Duration penaltyTime(AuthOperation operation) {
			return switch (operation) {
				case LOGIN -> this.loginPenaltyTime;
				case RENEW -> this.renewalPenaltyTime;
				case ME -> this.mePenaltyTime;
			};
		}

	}

	/**
	 * Tradovate's WebSockets ({@code /v1/websocket} for trading, {@code /md/v1/websocket}
	 * for market data) and their per-user connection limits; past a limit the oldest
	 * connection is closed and its token revoked.
	 *
	 * @param authorizeTimeout how long a new socket may take to authorize before it is
	 * closed
	 * @param heartbeatTimeout how long a socket may stay silent (clients send {@code []}
	 * every 2.5 seconds) before it is closed
	 * @param heartbeatInterval how often the server sends its heartbeat frame {@code h}
	 * @param quoteInterval how often a market-data socket gets a quote for each symbol it
	 * subscribed to
	 * @param maxConnections WebSocket connections per user
	 * @param maxMarketDataDevices distinct devices (the logins' device ids) on a user's
	 * market-data connections
	 * @param maxAddresses distinct IP addresses on a user's connections
	 */
	record WebSockets(@DefaultValue("10s") @NotNull Duration authorizeTimeout,
			@DefaultValue("10s") @NotNull Duration heartbeatTimeout,
			@DefaultValue("2500ms") @NotNull Duration heartbeatInterval,
			@DefaultValue("500ms") @NotNull Duration quoteInterval, @DefaultValue("50") @Min(1) int maxConnections,
			@DefaultValue("15") @Min(1) int maxMarketDataDevices, @DefaultValue("5") @Min(1) int maxAddresses) {

		WebSockets {
			if (heartbeatInterval.isZero() || heartbeatInterval.isNegative() || quoteInterval.isZero()
					|| quoteInterval.isNegative()) {
				throw new IllegalArgumentException(
						"simulator.websocket.heartbeat-interval and quote-interval must be positive");
			}
		}

		static WebSockets defaults() {
			return new WebSockets(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(2500),
					Duration.ofMillis(500), 50, 15, 5);
		}

	}

	/**
	 * How {@code /auth/me} and renewal answer a dead token.
	 */
	enum DeadTokenAnswer {

		/** HTTP 401, empty body. */
		UNAUTHORIZED,

		/** HTTP 200 with {@code errorText}. */
		ERROR_TEXT

	}

}
