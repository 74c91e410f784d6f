package io.tokenbroker.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import io.tokenbroker.account.AccountsProperties;

/**
 * The gateway: {@code broker.gateway.*}.
 *
 * @param enabled whether callers may use Tradovate through the broker (REST under
 * {@code <prefix>/<account>/} and both WebSockets); off unless set, and then only for
 * clients with {@code broker.clients.<client>.gateway: true}
 * @param prefix path under which the gateway's routes live:
 * {@code <prefix>/<account>/<endpoint>}, {@code <prefix>/<account>/websocket} and
 * {@code <prefix>/<account>/md/websocket}
 * @param maxSockets upstream WebSockets per account (one Tradovate user) that the whole
 * fleet opens at most; the next caller is refused. Tradovate allows 50 per user and, past
 * that, closes the oldest and revokes its token
 * @param timeout longest time one REST call to Tradovate may take to answer, and a
 * WebSocket to Tradovate to open and authorize
 * @param maxResponseSize largest REST answer passed on; a larger one is refused (502,
 * {@code answer-too-large}), never cut off
 * @param maxFrameSize largest WebSocket message accepted from Tradovate
 * @param limits Tradovate's request limits, which the gateway keeps for the fleet
 * @param sockets the WebSockets' heartbeats and time-outs
 * @param accounts WebSocket URLs per account id, where they differ from the ones derived
 * from the account's environment or base URL
 */
@ConfigurationProperties("broker.gateway")
@Validated
public record GatewayProperties(boolean enabled, @NotNull @Pattern(regexp = "/[a-z0-9-]+(/[a-z0-9-]+)*",
		message = "a path of lower case letters, digits and dashes, such as /tradovate") @DefaultValue("/tradovate") String prefix,
		@Min(1) @Max(50) @DefaultValue("40") int maxSockets, @NotNull @DefaultValue("10s") Duration timeout,
		@NotNull @DefaultValue("10MB") DataSize maxResponseSize, @NotNull @DefaultValue("1MB") DataSize maxFrameSize,
		@Valid @DefaultValue Limits limits, @Valid @DefaultValue Sockets sockets,
		Map<@Pattern(regexp = AccountsProperties.ACCOUNT_ID,
				message = "account ids are 1-32 lower case letters or digits") String, @Valid AccountSockets> accounts) {

	/** First path segments that belong to the broker, its management or its simulator. */
	static final Set<String> TAKEN = Set.of("token", "actuator", "error", "v1", "md", "simulator");

	public GatewayProperties {
		accounts = (accounts != null) ? Map.copyOf(accounts) : Map.of();
	}

	@AssertTrue(message = "broker.gateway.prefix must not start with /token, /actuator, /error, /v1, /md or "
			+ "/simulator: those paths are taken")
	public boolean isPrefixFree() {
		return this.prefix == null || !TAKEN.contains(this.prefix.substring(1).split("/")[0]);
	}

	@AssertTrue(message = "broker.gateway.timeout must be between 1s and 25s: a REST call waits at most that long, "
			+ "inside the 30 s a request may stay open")
	public boolean isTimeoutUsable() {
		return this.timeout == null || (this.timeout.compareTo(Duration.ofSeconds(1)) >= 0
				&& this.timeout.compareTo(Duration.ofSeconds(25)) <= 0);
	}

	/**
	 * Tradovate's request limits (partner docs, "Rate Limits"), kept for every caller of
	 * the gateway together, on every replica, in a rolling hour. A call past one is
	 * answered 429 with {@code Retry-After} and never reaches Tradovate.
	 *
	 * @param userRequestsPerHour Tradovate's limit of requests per user an hour (5,000
	 * for an authenticated user); {@code 0} turns the gateway's own count off
	 * (benchmarks)
	 * @param userShare share of that limit the gateway's callers may use together (REST
	 * calls and requests over the WebSockets); the rest is left for the broker's own
	 * calls and callers that hold the token themselves
	 * @param endpoints calls per hour of single endpoints, fleet-wide (Tradovate counts
	 * them per IP address): Tradovate's documented {@code user/syncrequest} (300) unless
	 * set otherwise, plus any set here, written with the endpoint in brackets
	 * ({@code broker.gateway.limits.endpoints[user/syncrequest]=300}); {@code 0} lifts
	 * the gateway's limit of one
	 * @param penaltyCaptchaHold how long calls of an endpoint are held after Tradovate
	 * answered one with a captcha demand ({@code p-captcha}), which only a person can
	 * solve
	 */
	public record Limits(@Min(0) @DefaultValue("5000") int userRequestsPerHour,
			@DecimalMin("0.01") @DecimalMax("1.0") @DefaultValue("0.9") double userShare,
			Map<String, @Min(0) Integer> endpoints, @NotNull @DefaultValue("1h") Duration penaltyCaptchaHold) {

		/** Tradovate's documented endpoint limits (partner docs, "Rate Limits"). */
		static final Map<String, Integer> DOCUMENTED = Map.of("user/syncrequest", 300);

		public Limits {
			endpoints = (endpoints != null) ? Map.copyOf(endpoints) : Map.of();
		}

		@AssertTrue(message = "broker.gateway.limits.endpoints names endpoints as entity/operation, such as "
				+ "[user/syncrequest]")
		public boolean isEveryEndpointNamed() {
			return this.endpoints.keySet().stream().allMatch((name) -> name.matches("[A-Za-z0-9]+(/[A-Za-z0-9]+)+"));
		}

		/** Requests an hour the gateway's callers may send together; 0 for no limit. */
		int userLimit() {
			return (int) Math.floor(this.userRequestsPerHour * this.userShare);
		}

		/** Every endpoint limit in force, by endpoint name in lower case. */
		Map<String, Integer> endpointLimits() {
			Map<String, Integer> limits = new LinkedHashMap<>(DOCUMENTED);
			this.endpoints.forEach((name, limit) -> limits.put(name.toLowerCase(Locale.ROOT), limit));
			limits.values().removeIf((limit) -> limit == 0);
			return limits;
		}

	}

	/**
	 * The WebSockets relayed by the gateway.
	 *
	 * @param heartbeatInterval how often the broker sends Tradovate's client heartbeat
	 * {@code []} on each upstream socket (Tradovate closes a silent socket)
	 * @param callerTimeout a caller that sends nothing (not even its {@code []} every 2.5
	 * s) for this long is closed, as Tradovate would close it
	 * @param authorizeTimeout how long a caller may take to present its client key (in
	 * the upgrade's {@code Authorization} header or its {@code authorize} frame)
	 * @param leaseTime how long an upstream socket counts against {@code max-sockets}
	 * after its replica last said it is open (every third of it); a replica that dies
	 * frees its sockets' places this long after
	 */
	public record Sockets(@NotNull @DefaultValue("2500ms") Duration heartbeatInterval,
			@NotNull @DefaultValue("10s") Duration callerTimeout,
			@NotNull @DefaultValue("10s") Duration authorizeTimeout, @NotNull @DefaultValue("30s") Duration leaseTime) {

		@AssertTrue(message = "broker.gateway.sockets.heartbeat-interval must be at least 50ms and shorter than "
				+ "caller-timeout, and lease-time at least 3s")
		public boolean isTimingUsable() {
			return this.heartbeatInterval.compareTo(Duration.ofMillis(50)) >= 0
					&& this.heartbeatInterval.compareTo(this.callerTimeout) < 0
					&& this.leaseTime.compareTo(Duration.ofSeconds(3)) >= 0;
		}

	}

	/**
	 * One account's WebSocket URLs.
	 *
	 * @param tradingSocketUrl the trading socket; by default
	 * {@code wss://live.tradovateapi.com/v1/websocket} or
	 * {@code wss://demo.tradovateapi.com/v1/websocket} after the environment, or, for a
	 * custom base URL such as {@code http://host:port/v1},
	 * {@code ws://host:port/v1/websocket}
	 * @param marketDataSocketUrl the market-data socket; by default
	 * {@code wss://md.tradovateapi.com/v1/websocket}, or, for a custom base URL,
	 * {@code ws://host:port/md/v1/websocket}
	 */
	public record AccountSockets(URI tradingSocketUrl, URI marketDataSocketUrl) {

		@AssertTrue(message = "WebSocket URLs must be absolute ws or wss URLs without a user name or password")
		public boolean isUsable() {
			return usable(this.tradingSocketUrl) && usable(this.marketDataSocketUrl);
		}

		private static boolean usable(URI url) {
			return url == null || (url.isAbsolute() && url.getHost() != null && url.getRawUserInfo() == null
					&& ("ws".equals(url.getScheme()) || "wss".equals(url.getScheme())));
		}

	}

}
