package io.tokenbroker.simulator;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
 * @param limits per-IP rate limits in a rolling one-hour window
 * @param penaltyTime p-time of the first penalty in the window, doubled for each further
 * one
 * @param penaltiesBeforeCaptcha penalties in the window after which the next violation is
 * answered with p-captcha
 * @param captchaLock how long an IP gets only captcha answers once it triggered one
 * @param demoClientKey public demo client key shown in the start-up curl line when the
 * broker runs with the embedded simulator
 */
@ConfigurationProperties("simulator")
@ConditionalOnBooleanProperty("simulator.enabled")
@Validated
record SimulatorProperties(boolean enabled, Map<String, @Valid User> users,
		@DefaultValue("200") int wrongCredentialsStatus, @DefaultValue("80m") @NotNull Duration tokenLifetime,
		@DefaultValue("0s") @NotNull Duration clockOffset, @DefaultValue("2") @Min(1) int maxSessionsPerUser,
		boolean renewalReturnsMdToken, boolean renewalRevokesPreviousToken,
		@DefaultValue("true") boolean expirationTimeWithMillis, @DefaultValue @Valid Limits limits,
		@DefaultValue("30s") @NotNull Duration penaltyTime, @DefaultValue("3") @Min(0) int penaltiesBeforeCaptcha,
		@DefaultValue("1h") @NotNull Duration captchaLock, String demoClientKey) {

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
				true, new Limits(5, 15, 10), Duration.ofSeconds(30), 3, Duration.ofHours(1), null);
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
	 * Tradovate's per-IP limits (rolling hour); 0 turns a limit off, for benchmarks.
	 *
	 * @param failedLoginsPerHour failed logins before logins get penalties
	 * @param renewalsPerHour renewal calls (all of them) before renewals get penalties
	 * @param failedMePerHour failed /auth/me calls before /auth/me gets penalties
	 */
	record Limits(@DefaultValue("5") @Min(0) int failedLoginsPerHour, @DefaultValue("15") @Min(0) int renewalsPerHour,
			@DefaultValue("10") @Min(0) int failedMePerHour) {

	}

}
