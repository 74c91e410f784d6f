/*
 * A client of the Tradovate token broker: Java 17, Spring's RestClient (spring-web 6.1+ with
 * Jackson 2 or 3 on the classpath), one file.
 *
 * Copy this file (add your package). It caches the token, reuses it until a safety margin
 * before it expires (time measured on System.nanoTime() from the moment the answer arrived)
 * or until the broker's renewAt has passed (then it revalidates with If-None-Match: a 304
 * keeps the cached token), honours Retry-After on 503/429, fails at once with the problem's
 * detail on 400/401/403/404/422, and never logs the token or the key (a fingerprint: the
 * first 8 hex digits of the token's SHA-256, as in the broker's own logs).
 *
 *   BrokerTokens tokens = BrokerTokens.fromEnv();  // TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, ...
 *   headers.setBearerAuth(tokens.token().accessToken());
 *   // Tradovate answered 401 for that token:
 *   BrokerTokens.BrokerToken fresh = tokens.reportRefused(refusedToken);
 *
 * Run it (source launch): java -cp 'libs/*' BrokerTokens.java [--check]
 * prints a one-line summary (never the token).
 */

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/** Keeps the token of one account. Thread-safe: one request at a time. */
public class BrokerTokens {

	/** Seconds between If-None-Match checks once renewAt has passed. */
	private static final long REVALIDATE_EVERY_NANOS = Duration.ofSeconds(15).toNanos();

	private final RestClient http;

	private final String key;

	private final String url;

	private final String account;

	private final Duration margin;

	private final int attempts;

	private final Duration maxWait;

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int lastStatus;

	private BrokerToken cached;

	/** System.nanoTime() at which to ask again, with If-None-Match. */
	private long recheckAt;

	/**
	 * @param url the broker, e.g. http://broker:8080
	 * @param keyFile a file holding the client key (surrounding whitespace is ignored)
	 * @param account the account, or null for the broker's default account
	 * @param margin a token is not used this close to its expiry
	 * @param attempts requests per call, retries included
	 * @param maxWait longest Retry-After honoured; a longer one fails at once
	 */
	public BrokerTokens(String url, Path keyFile, String account, Duration margin, int attempts, Duration maxWait) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException("TRADOVATE_BROKER_URL is not set");
		}
		if (keyFile == null) {
			throw new IllegalArgumentException("TRADOVATE_BROKER_KEY_FILE is not set");
		}
		try {
			this.key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the key file " + keyFile, ex);
		}
		if (this.key.isEmpty()) {
			throw new IllegalArgumentException("the key file " + keyFile + " is empty");
		}
		this.url = url.replaceAll("/+$", "");
		this.account = (account == null || account.isBlank()) ? null : account;
		this.margin = margin;
		this.attempts = attempts;
		this.maxWait = maxWait;
		// the JDK client never follows redirects (they would carry the key elsewhere); the
		// read timeout is longer than the broker's wait for a login in flight (10 s)
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
		factory.setReadTimeout(Duration.ofSeconds(30));
		this.http = RestClient.builder().requestFactory(factory).requestInterceptor((request, body, execution) -> {
			this.requests.incrementAndGet();
			return execution.execute(request, body);
		}).build();
	}

	/** From TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, TRADOVATE_BROKER_ACCOUNT (and _MARGIN, _ATTEMPTS, _MAX_WAIT). */
	public static BrokerTokens fromEnv() {
		return fromEnv(System.getenv("TRADOVATE_BROKER_ACCOUNT"));
	}

	public static BrokerTokens fromEnv(String account) {
		Map<String, String> env = System.getenv();
		String keyFile = env.get("TRADOVATE_BROKER_KEY_FILE");
		return new BrokerTokens(env.get("TRADOVATE_BROKER_URL"), (keyFile != null) ? Path.of(keyFile) : null, account,
				Duration.ofSeconds(Long.parseLong(env.getOrDefault("TRADOVATE_BROKER_MARGIN", "60"))),
				Integer.parseInt(env.getOrDefault("TRADOVATE_BROKER_ATTEMPTS", "5")),
				Duration.ofSeconds(Long.parseLong(env.getOrDefault("TRADOVATE_BROKER_MAX_WAIT", "60"))));
	}

	// ---- the API ----

	/** A token valid for at least the margin; see {@link #token(long)}. */
	public BrokerToken token() {
		return token(0);
	}

	/**
	 * A token valid for at least max(margin, minValiditySeconds): the cached one if it still
	 * is and renewAt has not passed, else one asked of the broker.
	 * @throws BrokerException when the broker refuses or cannot give one
	 */
	public synchronized BrokerToken token(long minValiditySeconds) {
		long now = System.nanoTime();
		BrokerToken held = this.cached;
		long needed = Math.max(this.margin.toNanos(), Duration.ofSeconds(minValiditySeconds).toNanos());
		if (held != null && held.nanosLeft(now) >= needed) {
			if (now - this.recheckAt < 0) {
				return held;
			}
			// renewAt has passed: the broker may hold a newer token; 304 if not
			return send(HttpMethod.GET, path(""), null, held.etag());
		}
		return send(HttpMethod.GET, path((minValiditySeconds > 0) ? "?minValidity=" + minValiditySeconds : ""), null,
				null);
	}

	/** Ask the broker on the next call (with If-None-Match), as if renewAt had passed. */
	public synchronized void revalidate() {
		this.recheckAt = System.nanoTime();
	}

	/**
	 * Tradovate answered 401 for this token: tell the broker, keep and return its answer (the
	 * same token if its session is still open, else a new one).
	 */
	public synchronized BrokerToken reportRefused(String refusedToken) {
		return send(HttpMethod.POST, path("/refused"), refusedToken.strip(), null);
	}

	/** HTTP requests sent (for tests and metrics). */
	public int requests() {
		return this.requests.get();
	}

	/** Status of the last answer, 0 when there was none. */
	public int lastStatus() {
		return this.lastStatus;
	}

	@Override
	public String toString() {
		return "BrokerTokens[" + this.url + ", account=" + ((this.account != null) ? this.account : "(default)") + "]";
	}

	// ---- the exchange ----

	private String path(String suffix) {
		String accountPath = (this.account != null)
				? "/" + UriUtils.encodePathSegment(this.account, StandardCharsets.UTF_8) : "";
		return this.url + "/token" + accountPath + suffix;
	}

	private record Answer(String account, String accessToken, String mdAccessToken, String expirationTime,
			Long expiresIn, Long userId, String renewAt) {
	}

	private record Problem(String type, String title, Integer status, String detail, String reason) {
	}

	private record Outcome(int status, HttpHeaders headers, Answer answer, Problem problem, long receivedAt) {
	}

	private BrokerToken send(HttpMethod method, String uri, String body, String etag) {
		for (int attempt = 1;; attempt++) {
			BrokerException problem;
			long waitSeconds;
			String how;
			try {
				Outcome outcome = exchange(method, uri, body, etag);
				this.lastStatus = outcome.status();
				if (outcome.status() == 200) {
					return keep(outcome);
				}
				if (outcome.status() == 304 && this.cached != null) {
					this.recheckAt = System.nanoTime() + REVALIDATE_EVERY_NANOS;
					return this.cached;
				}
				Problem details = outcome.problem();
				problem = new BrokerException(outcome.status(), (details != null) ? details.title() : null,
						(details != null && details.detail() != null) ? details.detail() : "(no problem details)",
						(details != null) ? details.reason() : null);
				if (!List.of(429, 500, 502, 503, 504).contains(outcome.status())) {
					throw problem;
				}
				Long retryAfter = retryAfter(outcome.headers().getFirst(HttpHeaders.RETRY_AFTER));
				if (retryAfter == null) {
					waitSeconds = Math.min(1L << Math.min(attempt - 1, 20), this.maxWait.toSeconds());
					how = "(no Retry-After)";
				}
				else if (retryAfter > this.maxWait.toSeconds()) {
					throw problem.withDetail(problem.detail() + " (the broker asks to retry after " + retryAfter
							+ " s, longer than this client waits: " + this.maxWait.toSeconds() + " s)");
				}
				else {
					waitSeconds = retryAfter;
					how = "as Retry-After asks";
				}
			}
			catch (ResourceAccessException ex) {
				this.lastStatus = 0;
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				problem = new BrokerException(0, "Broker unreachable", this.url + ": " + cause, null);
				waitSeconds = Math.min(1L << Math.min(attempt - 1, 20), this.maxWait.toSeconds());
				how = "(back-off)";
			}
			if (attempt >= this.attempts) {
				throw problem.withDetail(problem.detail() + " (gave up after " + attempt + " attempts)");
			}
			log(problem.getMessage() + "; waiting " + waitSeconds + " s " + how + ", attempt " + attempt + " of "
					+ this.attempts);
			try {
				Thread.sleep(Duration.ofSeconds(waitSeconds).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw problem;
			}
		}
	}

	private Outcome exchange(HttpMethod method, String uri, String body, String etag) {
		RestClient.RequestBodySpec request = this.http.method(method)
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				headers.setBearerAuth(this.key);
				if (etag != null) {
					headers.setIfNoneMatch(etag);
				}
			});
		if (body != null) {
			request = request.contentType(MediaType.TEXT_PLAIN).body(body);
		}
		return request.exchange((req, response) -> {
			int status = response.getStatusCode().value();
			long received = System.nanoTime();
			if (status == 200) {
				Answer answer;
				try {
					answer = response.bodyTo(Answer.class);
				}
				catch (RuntimeException ex) {
					// the parser's message may quote the body, and so the token: not shown
					throw new BrokerException(status, "Malformed answer",
							"the broker's answer could not be read (" + ex.getClass().getSimpleName() + ")", null);
				}
				return new Outcome(status, response.getHeaders(), answer, null, received);
			}
			Problem problem = null;
			if (status != 304) {
				try {
					problem = response.bodyTo(Problem.class);
				}
				catch (RuntimeException ex) {
					// not problem details: the status says enough
				}
			}
			return new Outcome(status, response.getHeaders(), null, problem, received);
		});
	}

	private BrokerToken keep(Outcome outcome) {
		Answer answer = outcome.answer();
		if (answer == null || answer.accessToken() == null || answer.accessToken().isEmpty()) {
			throw new BrokerException(outcome.status(), "Malformed answer", "the broker's answer has no accessToken",
					null);
		}
		long expiresIn = (answer.expiresIn() != null) ? answer.expiresIn() : 0;
		BrokerToken token = new BrokerToken(answer.account(), answer.accessToken(), answer.mdAccessToken(),
				instant(answer.expirationTime()), expiresIn, answer.userId(), instant(answer.renewAt()),
				outcome.headers().getETag(), outcome.receivedAt());
		this.cached = token;
		// seconds from receipt to renewAt, from the answer alone (both instants are on the
		// broker's clock, expiresIn needs none): no dependence on the local wall clock
		long renewInMillis = (token.expirationTime() != null && token.renewAt() != null)
				? expiresIn * 1000 - Duration.between(token.renewAt(), token.expirationTime()).toMillis()
				: (expiresIn - this.margin.toSeconds()) * 1000;
		// a renewAt already past (the broker retries its renewal) is checked again shortly, not at once
		this.recheckAt = token.receivedAt() + Duration.ofMillis(Math.max(renewInMillis, 5000)).toNanos();
		return token;
	}

	private static Instant instant(String text) {
		try {
			return (text != null) ? Instant.parse(text) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static Long retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		if (text.chars().allMatch(Character::isDigit)) {
			return Long.parseLong(text);
		}
		try {
			Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			return Math.max(0, Duration.between(Instant.now(), at).toSeconds() + 1);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static void log(String message) {
		System.err.println("broker-tokens: " + message);
	}

	/** The first 8 hex digits of the SHA-256 of a token: safe to log, matches the broker's logs. */
	public static String fingerprint(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One answer of the broker. {@link #toString()} never shows the tokens.
	 * @param receivedAt System.nanoTime() when the answer arrived
	 */
	public record BrokerToken(String account, String accessToken, String mdAccessToken, Instant expirationTime,
			long expiresIn, Long userId, Instant renewAt, String etag, long receivedAt) {

		public String fingerprint() {
			return BrokerTokens.fingerprint(this.accessToken);
		}

		/** Time until the token expires, on the monotonic clock. */
		public Duration timeLeft() {
			return Duration.ofSeconds(this.expiresIn).minusNanos(System.nanoTime() - this.receivedAt);
		}

		long nanosLeft(long now) {
			return Duration.ofSeconds(this.expiresIn).toNanos() - (now - this.receivedAt);
		}

		public String summary() {
			return "account=" + this.account + " fingerprint=" + fingerprint() + " expiresIn="
					+ Math.max(0, timeLeft().toSeconds()) + " renewAt=" + this.renewAt;
		}

		@Override
		public String toString() {
			return "BrokerToken[" + summary() + "]";
		}

	}

	/** The broker refused, or could not give, a token. Never carries the key or a token. */
	public static final class BrokerException extends RuntimeException {

		private final int status;

		private final String title;

		private final String detail;

		private final String reason;

		public BrokerException(int status, String title, String detail, String reason) {
			super(((status != 0) ? "HTTP " + status : "no answer") + ((reason != null) ? " (" + reason + ")" : "") + ": "
					+ Objects.requireNonNullElse(detail, Objects.requireNonNullElse(title, "no detail")));
			this.status = status;
			this.title = title;
			this.detail = detail;
			this.reason = reason;
		}

		BrokerException withDetail(String detail) {
			return new BrokerException(this.status, this.title, detail, this.reason);
		}

		/** HTTP status, 0 when the broker did not answer. */
		public int status() {
			return this.status;
		}

		public String title() {
			return this.title;
		}

		public String detail() {
			return this.detail;
		}

		/** The 503/422/429 reason, e.g. upstream_failed; null if none. */
		public String reason() {
			return this.reason;
		}

	}

	// ---- the command line: a summary, and with --check a self-test against a live broker ----

	public static void main(String[] args) {
		for (String arg : args) {
			if (!arg.equals("--check")) {
				System.err.println("usage: java -cp 'libs/*' BrokerTokens.java [--check]   (settings: "
						+ "TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, TRADOVATE_BROKER_ACCOUNT)");
				System.exit(2);
			}
		}
		try {
			BrokerTokens tokens = fromEnv();
			System.out.println(tokens.token().summary());
			if (List.of(args).contains("--check")) {
				List<String> failures = check(tokens);
				if (!failures.isEmpty()) {
					log("check failed: " + failures.size() + " of the checks");
					System.exit(1);
				}
				log("check passed");
			}
			System.exit(0);
		}
		catch (BrokerException | IllegalArgumentException | UncheckedIOException ex) {
			log("error: " + ex.getMessage());
			System.exit(1);
		}
	}

	private static List<String> check(BrokerTokens tokens) {
		List<String> failures = new ArrayList<>();
		Check ok = (condition, message, failure) -> {
			System.err.println(condition ? "ok: " + message : "FAIL: " + failure);
			if (!condition) {
				failures.add(failure);
			}
		};

		BrokerToken first = tokens.token();
		ok.that(tokens.requests() == 1 && !first.accessToken().isEmpty() && first.fingerprint().length() == 8
				&& first.expiresIn() > tokens.margin.toSeconds(),
				"first token " + first.fingerprint() + " fetched with 1 request, valid " + first.expiresIn() + " s",
				"first token: " + tokens.requests() + " requests, expiresIn " + first.expiresIn());

		BrokerToken again = tokens.token();
		ok.that(tokens.requests() == 1 && again == first, "second call served from the cache (no HTTP request)",
				"second call sent " + tokens.requests() + " requests in all");

		tokens.revalidate();
		BrokerToken kept = tokens.token();
		ok.that(tokens.requests() == 2 && tokens.lastStatus() == 304 && kept == first,
				"revalidation sent If-None-Match and got 304: cached token kept",
				"revalidation answered HTTP " + tokens.lastStatus() + " (requests " + tokens.requests() + ")");

		BrokerToken answered = tokens.reportRefused(first.accessToken());
		ok.that(tokens.lastStatus() == 200 && !answered.accessToken().isEmpty()
				&& Objects.equals(answered.account(), first.account()),
				"refused-token report answered token " + answered.fingerprint() + " ("
						+ (answered.accessToken().equals(first.accessToken()) ? "the same: its session is open"
								: "a new one")
						+ ")",
				"refused-token report answered HTTP " + tokens.lastStatus());
		int before = tokens.requests();
		ok.that(tokens.token() == answered && tokens.requests() == before, "the cache holds the answered token",
				"the answered token was not cached");

		String shown = answered.toString() + tokens;
		ok.that(!shown.contains(answered.accessToken()) && !shown.contains(tokens.key),
				"toString of the token and the client shows neither token nor key",
				"the token or the key shows when the objects are printed");

		before = tokens.requests();
		try {
			tokens.token(86_400);
			ok.that(false, "", "minValidity=86400 was answered with a token");
		}
		catch (BrokerException ex) {
			ok.that(ex.status() == 422 && tokens.requests() == before + 1 && ex.detail() != null,
					"impossible minValidity fails at once: " + ex.getMessage(),
					"minValidity=86400: " + ex.getMessage() + " after " + (tokens.requests() - before) + " requests");
		}

		BrokerTokens stranger = fromEnv("no-such-account-check");
		try {
			stranger.token();
			ok.that(false, "", "an unknown account was answered with a token");
		}
		catch (BrokerException ex) {
			ok.that((ex.status() == 403 || ex.status() == 404) && stranger.requests() == 1 && ex.detail() != null,
					"unknown account fails at once: " + ex.getMessage(),
					"unknown account: " + ex.getMessage() + " after " + stranger.requests() + " requests");
		}
		return failures;
	}

	@FunctionalInterface
	private interface Check {

		void that(boolean condition, String message, String failure);

	}

}
