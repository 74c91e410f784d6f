package io.tokenbroker.account;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code broker.*}: the public configuration contract.
 *
 * @param enabled whether the broker runs at all; {@code false} leaves only the standalone
 * simulator
 * @param accounts Tradovate users the broker logs in as, by account id (1-32 lower case
 * letters or digits)
 * @param defaultAccount account served by {@code GET /token}; may be left out when there
 * is exactly one account
 * @param clients internal callers allowed to fetch tokens, by client id
 * @param waitForToken how long a caller may wait for a login or renewal in flight before
 * it gets 503
 * @param renewal when tokens are renewed
 * @param retry how failed calls to Tradovate are retried
 * @param upstream how the broker talks to Tradovate
 * @param limits Tradovate's hourly limits, which the broker never exceeds
 * @param readiness when the broker reports itself ready for traffic
 * @param liveness how the broker checks that each session is still open
 */
@ConfigurationProperties("broker")
@Validated
public record BrokerProperties(@DefaultValue("true") boolean enabled, Map<@Pattern(regexp = ACCOUNT_ID,
		message = "account ids are 1-32 lower case letters or digits, so that environment variables can name them "
				+ "(BROKER_ACCOUNTS_<ID>_PASSWORD)") String, @Valid AccountProperties> accounts,
		String defaultAccount,
		Map<@Pattern(regexp = CLIENT_ID,
				message = "client ids are 1-32 lower case letters or digits, so that environment variables can name "
						+ "them (BROKER_CLIENTS_<ID>_KEY_SHA256)") String, @Valid ClientProperties> clients,
		@NotNull @DefaultValue("10s") Duration waitForToken, @Valid @DefaultValue Renewal renewal,
		@Valid @DefaultValue Retry retry, @Valid @DefaultValue Upstream upstream, @Valid @DefaultValue Limits limits,
		@Valid @DefaultValue Readiness readiness, @Valid @DefaultValue Liveness liveness) {

	/**
	 * What an account id looks like: it appears in URLs, metric tags and variable names.
	 */
	public static final String ACCOUNT_ID = "[a-z0-9]{1,32}";

	/**
	 * What a client id looks like: it appears in logs, metric tags and variable names.
	 */
	public static final String CLIENT_ID = "[a-z0-9]{1,32}";

	public BrokerProperties {
		accounts = (accounts != null) ? Map.copyOf(accounts) : Map.of();
		clients = (clients != null) ? Map.copyOf(clients) : Map.of();
	}

	@AssertTrue(message = "at least one account must be configured under broker.accounts.<id>")
	public boolean isAnyAccountConfigured() {
		return !this.enabled || !this.accounts.isEmpty();
	}

	@AssertTrue(
			message = "at least one client must be configured under broker.clients.<client>, or no caller can get a token")
	public boolean isAnyClientConfigured() {
		return !this.enabled || !this.clients.isEmpty();
	}

	/** Ids that would clash with the API's own paths ({@code /token/refused}...). */
	public static final Set<String> RESERVED_IDS = Set.of("refused", "events");

	@AssertTrue(message = "account ids \"refused\" and \"events\" are reserved: /token/refused and /token/events "
			+ "are paths of the API")
	public boolean isNoAccountIdReserved() {
		return this.accounts.keySet().stream().noneMatch(RESERVED_IDS::contains);
	}

	@AssertTrue(message = "broker.default-account must name an account configured under broker.accounts")
	public boolean isDefaultAccountKnown() {
		return this.defaultAccount == null || this.accounts.containsKey(this.defaultAccount);
	}

	@AssertTrue(
			message = "every account listed under broker.clients.<client>.accounts must be configured under broker.accounts (or be \"*\")")
	public boolean isEveryClientAccountKnown() {
		return this.clients.values()
			.stream()
			.flatMap((client) -> client.accounts().stream())
			.allMatch((account) -> ClientProperties.ALL_ACCOUNTS.equals(account) || this.accounts.containsKey(account));
	}

	/**
	 * Account served by {@code GET /token}, or {@code null} when several accounts exist
	 * and none is named.
	 */
	public String resolvedDefaultAccount() {
		if (this.defaultAccount != null) {
			return this.defaultAccount;
		}
		return (this.accounts.size() == 1) ? this.accounts.keySet().iterator().next() : null;
	}

	/**
	 * One Tradovate user. Each string goes into the login body, where Tradovate accepts
	 * at most 64 characters (8192 for the API secret).
	 *
	 * @param environment Tradovate environment (demo or live) that sets the base URL;
	 * demo when left out (with a warning: tokens of the demo environment trade nothing
	 * real)
	 * @param baseUrl REST base URL, overriding the environment (simulator, proxy, tests)
	 * @param username Tradovate username
	 * @param password Tradovate password
	 * @param appId the API key's name, as chosen when the key was created
	 * @param appVersion free text version sent with each login
	 * @param cid the API key's numeric id
	 * @param secret the API key's secret
	 * @param deviceId stable id of this deployment; live trading refuses changing ids.
	 * Derived from the account when left out
	 * @param allowPlainHttp lets a live account's base-url use plain http, for a proxy on
	 * a trusted network that adds TLS itself
	 */
	public record AccountProperties(TradovateEnvironment environment, URI baseUrl,
			@NotBlank @Size(max = 64) String username,
			@NotNull(message = "must be set") @SecretSize(max = 64) Secret password,
			@NotBlank @Size(max = 64) String appId, @NotBlank @Size(max = 64) @DefaultValue("1.0") String appVersion,
			@NotNull @Min(0) Long cid, @NotNull(message = "must be set") @SecretSize(max = 8192) Secret secret,
			@Size(max = 64) String deviceId, boolean allowPlainHttp) {

		/** Segments of unreserved characters and escapes: no {@code , ; : @ =}. */
		private static final String BASE_URL_PATH = "(/[A-Za-z0-9._~%-]*)*";

		/** The environment set, or demo. */
		public TradovateEnvironment resolvedEnvironment() {
			return (this.environment != null) ? this.environment : TradovateEnvironment.DEMO;
		}

		/**
		 * One URL, and only what a base URL needs: a setting given twice arrives joined
		 * with a comma, and whatever follows lands in the path.
		 */
		@AssertTrue(message = "base-url must be one absolute http or https URL: a host, an optional port and a path, "
				+ "nothing else (no query, fragment, parameters or list)")
		public boolean isBaseUrlUsable() {
			return this.baseUrl == null || (this.baseUrl.isAbsolute() && this.baseUrl.getHost() != null
					&& ("http".equals(this.baseUrl.getScheme()) || "https".equals(this.baseUrl.getScheme()))
					&& this.baseUrl.getRawQuery() == null && this.baseUrl.getRawFragment() == null
					&& (this.baseUrl.getRawPath() == null || this.baseUrl.getRawPath().matches(BASE_URL_PATH)));
		}

		@AssertTrue(message = "base-url must not carry a user name or password: it would be logged, and is never sent")
		public boolean isBaseUrlWithoutUserInfo() {
			return this.baseUrl == null || this.baseUrl.getRawUserInfo() == null;
		}

		@AssertTrue(message = "a live account's base-url must use https (allow-plain-http: true only for a proxy that "
				+ "adds TLS on a trusted network)")
		public boolean isLiveOverHttps() {
			return this.environment != TradovateEnvironment.LIVE || this.baseUrl == null
					|| "https".equals(this.baseUrl.getScheme()) || this.allowPlainHttp;
		}

	}

	/**
	 * One internal caller.
	 *
	 * @param keySha256 hex SHA-256 of the caller's API key (the key itself is never
	 * stored); several, comma-separated, while a key is being replaced
	 * @param accounts account ids this caller may read, or "*" for all
	 * @param admin whether this caller may use the management endpoints
	 * @param metrics whether this caller may read {@code /actuator/prometheus} (and
	 * nothing else of the management endpoints, unless it is an admin)
	 * @param gateway whether this caller may call Tradovate through the gateway
	 * ({@code broker.gateway.*}), on the accounts it may read
	 */
	public record ClientProperties(@NotEmpty(
			message = "must be set (the SHA-256 of the key, as new-client-key prints it)") List<@NotNull @KeyDigest.WellFormed KeyDigest> keySha256,
			@DefaultValue List<String> accounts, boolean admin, boolean metrics, boolean gateway) {

		/** Stands for every account in {@link #accounts()}. */
		public static final String ALL_ACCOUNTS = "*";

		/** The constructor the settings bind to. */
		@ConstructorBinding
		public ClientProperties {
		}

		/** A client without the gateway's right. */
		public ClientProperties(List<KeyDigest> keySha256, List<String> accounts, boolean admin, boolean metrics) {
			this(keySha256, accounts, admin, metrics, false);
		}

	}

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
	 */
	public record Renewal(@NotNull @DefaultValue("10m") Duration lead,
			@DecimalMin("0.01") @DecimalMax("0.9") @DefaultValue("0.25") double leadFraction,
			@DecimalMin("0") @DecimalMax("0.5") @DefaultValue("0.1") double jitter,
			@NotNull @DefaultValue("5s") Duration expiryMargin, @NotNull @DefaultValue("1s") Duration checkInterval,
			@Min(0) @DefaultValue("3") int reservedForSchedule, @NotNull @DefaultValue("1m") Duration forcedInterval) {

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
	 * @param recheckAfter a caller's report of a refused token that was checked and found
	 * open less than this long ago is answered without another check
	 */
	public record Liveness(@NotNull @DefaultValue("5m") Duration checkInterval,
			@NotNull @DefaultValue("30s") Duration recheckAfter) {
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
	 * @param connectTimeout TCP connect timeout to Tradovate
	 * @param timeout longest time one call may take, answer body included
	 * @param maxResponseSize largest answer body read from Tradovate
	 * @param maxTokenLifetime a token said to live longer than this is refused as bogus
	 */
	public record Upstream(@NotNull @DefaultValue("5s") Duration connectTimeout,
			@NotNull @DefaultValue("15s") Duration timeout, @NotNull @DefaultValue("64KB") DataSize maxResponseSize,
			@NotNull @DefaultValue("24h") Duration maxTokenLifetime) {
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

	/**
	 * The readiness probe is down until the broker can first serve a token, then out of
	 * service whenever callers would get 503.
	 *
	 * @param require which accounts must be able to serve a token: {@code any} (at least
	 * one) or {@code all}
	 */
	public record Readiness(@NotNull @DefaultValue("any") Require require) {

		/** Which accounts must be able to serve a token for the broker to be ready. */
		public enum Require {

			/** At least one account. */
			ANY,

			/** Every configured account. */
			ALL

		}

	}

}
