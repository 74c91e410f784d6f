package io.tokenbroker.account;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Tradovate users the broker logs in as ({@code broker.accounts.<id>.*}), the one
 * {@code GET /token} serves, and whether the broker runs at all. That each client's
 * accounts are among these is checked across features ({@link SettingsAcrossFeatures}).
 *
 * @param enabled whether the broker runs at all; {@code false} leaves only the standalone
 * simulator
 * @param accounts Tradovate users the broker logs in as, by account id (1-32 lower case
 * letters or digits)
 * @param defaultAccount account served by {@code GET /token}; may be left out when there
 * is exactly one account
 */
@ConfigurationProperties("broker")
@Validated
public record AccountsProperties(@DefaultValue("true") boolean enabled, Map<@Pattern(regexp = ACCOUNT_ID,
		message = "account ids are 1-32 lower case letters or digits, so that environment variables can name them "
				+ "(BROKER_ACCOUNTS_<ID>_PASSWORD)") String, @Valid Account> accounts,
		String defaultAccount) {

	/**
	 * What an account id looks like: it appears in URLs, metric tags and variable names.
	 */
	public static final String ACCOUNT_ID = "[a-z0-9]{1,32}";

	/** Ids that would clash with the API's own paths ({@code /token/refused}...). */
	public static final Set<String> RESERVED_IDS = Set.of("refused", "events");

	public AccountsProperties {
		accounts = (accounts != null) ? Map.copyOf(accounts) : Map.of();
	}

	@AssertTrue(message = "at least one account must be configured under broker.accounts.<id>")
	public boolean isAnyAccountConfigured() {
		return !this.enabled || !this.accounts.isEmpty();
	}

	@AssertTrue(message = "account ids \"refused\" and \"events\" are reserved: /token/refused and /token/events "
			+ "are paths of the API")
	public boolean isNoAccountIdReserved() {
		return this.accounts.keySet().stream().noneMatch(RESERVED_IDS::contains);
	}

	@AssertTrue(message = "broker.default-account must name an account configured under broker.accounts")
	public boolean isDefaultAccountKnown() {
		return this.defaultAccount == null || this.accounts.containsKey(this.defaultAccount);
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
	public record Account(TradovateEnvironment environment, URI baseUrl, @NotBlank @Size(max = 64) String username,
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

}
