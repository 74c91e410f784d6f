package io.tokenbroker.session;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How each account's session runs: how long callers wait for a token
 * ({@code broker.wait-for-token}), when tokens are renewed ({@code broker.renewal.*}),
 * how failures are retried ({@code broker.retry.*}), Tradovate's hourly limits
 * ({@code broker.limits.*}) and the checks that a session is still open
 * ({@code broker.liveness.*}).
 *
 * @param waitForToken how long a caller may wait for a login or renewal in flight before
 * it gets 503
 * @param renewal when tokens are renewed
 * @param retry how failed calls to Tradovate are retried
 * @param limits Tradovate's hourly limits, which the broker never exceeds
 * @param liveness how the broker checks that each session is still open
 */
@ConfigurationProperties("broker")
@Validated
public record SessionProperties(@NotNull @DefaultValue("10s") Duration waitForToken,
		@Valid @DefaultValue Renewal renewal, @Valid @DefaultValue Retry retry, @Valid @DefaultValue Limits limits,
		@Valid @DefaultValue Liveness liveness) {

	/**
	 * Renewal starts {@code lead} before the token stops being served (its expiry less
	 * {@code expiry-margin}), or {@code lead-fraction} of the time it is served when that
	 * is shorter (so a 60-second token renews about 19 seconds before it expires and an
	 * 80-minute one about 10 minutes before), plus up to {@code jitter} of that lead
	 * earlier at random so that replicas and accounts spread out.
	 *
	 * @param lead longest time before a token stops being served (its expiry less
	 * {@code expiry-margin}) at which its renewal starts
	 * @param leadFraction share of the time a token is served at which its renewal starts
	 * before that end, when shorter than the lead
	 * @param jitter share of the lead by which renewal may start earlier, at random
	 * @param expiryMargin a token is no longer served this long before it expires; must
	 * be shorter than {@code lead}
	 * @param checkInterval how often the broker looks at each account's schedule
	 * @param reservedForSchedule renewals per hour that callers asking for
	 * {@code minValidity} may not use, kept for scheduled renewals
	 * @param forcedInterval at most one renewal per account that callers force with
	 * {@code minValidity} in this long
	 * @param forcedPerClient renewals one client may force with {@code minValidity} in
	 * any rolling hour, whatever the accounts; 0 for none
	 * @param forcedPerAccount renewals callers may force with {@code minValidity} of one
	 * account in any rolling hour, whoever they are; 0 for none
	 */
	public record Renewal(@NotNull @DefaultValue("10m") Duration lead,
			@DecimalMin("0.01") @DecimalMax("0.9") @DefaultValue("0.25") double leadFraction,
			@DecimalMin("0") @DecimalMax("0.5") @DefaultValue("0.1") double jitter,
			@NotNull @DefaultValue("5s") Duration expiryMargin, @NotNull @DefaultValue("1s") Duration checkInterval,
			@Min(0) @DefaultValue("3") int reservedForSchedule, @NotNull @DefaultValue("1m") Duration forcedInterval,
			@Min(0) @DefaultValue("4") int forcedPerClient, @Min(0) @DefaultValue("4") int forcedPerAccount) {

		@AssertTrue(message = "broker.renewal.expiry-margin must be shorter than broker.renewal.lead: a token would "
				+ "stop being served before its renewal starts, so each would cost a new login")
		public boolean isMarginShorterThanLead() {
			return this.expiryMargin.compareTo(this.lead) < 0;
		}

	}

	/**
	 * Whether the session behind each token is still open: Tradovate closes the oldest of
	 * a user's sessions when a third opens (the user logging in twice elsewhere), and a
	 * renewal would notice only at its time.
	 *
	 * @param checkInterval how often the lease holder asks Tradovate ({@code /auth/me})
	 * whether each account's session is open; {@code 0} turns the checks off
	 * @param recheckAfter a caller's report of the token served leads to a check unless
	 * one answered less than this long ago (reports meanwhile share it): the floor on the
	 * rate of checks callers can cause; at least 1s
	 */
	public record Liveness(@NotNull @DefaultValue("5m") Duration checkInterval,
			@NotNull @DefaultValue("3s") Duration recheckAfter) {

		@AssertTrue(message = "broker.liveness.recheck-after must be at least 1s: it keeps callers' reports from "
				+ "making the broker call /auth/me without pause")
		public boolean isRecheckAfterAtLeastASecond() {
			return this.recheckAfter.compareTo(Duration.ofSeconds(1)) >= 0;
		}

	}

	/**
	 * Failed calls (network errors, 5xx, malformed answers) are retried after a capped
	 * exponential back-off with jitter; lock-outs wait for the cool-down.
	 *
	 * @param initialBackOff wait after the first failure
	 * @param maxBackOff longest wait between retries
	 * @param coolDown pause after a captcha demand, HTTP 423 or 429, or rejected
	 * credentials
	 */
	public record Retry(@NotNull @DefaultValue("5s") Duration initialBackOff,
			@NotNull @DefaultValue("5m") Duration maxBackOff, @NotNull @DefaultValue("1h") Duration coolDown) {
	}

	/**
	 * Tradovate's hourly limits per IP address (rolling hour). The broker keeps under
	 * them whatever its callers do.
	 *
	 * @param failedLoginsPerHour failed login attempts allowed in any rolling hour
	 * @param renewalsPerHour renewal calls allowed in any rolling hour
	 * @param failedChecksPerHour failed {@code /auth/me} calls allowed in any rolling
	 * hour
	 */
	public record Limits(@Min(1) @Max(1000) @DefaultValue("5") int failedLoginsPerHour,
			@Min(1) @Max(10000) @DefaultValue("15") int renewalsPerHour,
			@Min(1) @Max(1000) @DefaultValue("10") int failedChecksPerHour) {
	}

}
