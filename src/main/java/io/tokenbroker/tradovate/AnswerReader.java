package io.tokenbroker.tradovate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.UnaryOperator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;

import io.tokenbroker.tradovate.TradovateAnswer.Expired;
import io.tokenbroker.tradovate.TradovateAnswer.Failed;
import io.tokenbroker.tradovate.TradovateAnswer.Granted;
import io.tokenbroker.tradovate.TradovateAnswer.Identified;
import io.tokenbroker.tradovate.TradovateAnswer.LockedOut;
import io.tokenbroker.tradovate.TradovateAnswer.Penalized;
import io.tokenbroker.tradovate.TradovateAnswer.Rejected;

/**
 * Turns one HTTP answer from Tradovate into a {@link TradovateAnswer}. Trusts nothing:
 * every field is checked for presence, type and plausibility.
 */
final class AnswerReader {

	/** Used when a penalty ticket comes without a usable {@code p-time}. */
	static final Duration DEFAULT_PENALTY_WAIT = Duration.ofMinutes(1);

	private static final Duration LONGEST_PENALTY_WAIT = Duration.ofHours(2);

	private final JsonMapper json;

	private final Duration maxTokenLifetime;

	AnswerReader(JsonMapper json, Duration maxTokenLifetime) {
		this.json = json;
		this.maxTokenLifetime = maxTokenLifetime;
	}

	/**
	 * @param sentAt the broker's time when the request left, the conservative start of
	 * the token's life
	 * @param redact masks secrets in any text that came back
	 */
	TradovateAnswer read(Operation operation, int status, HttpHeaders headers, String body, Instant sentAt,
			UnaryOperator<String> redact) {
		if (status == 423 || status == 429) {
			return new LockedOut(status);
		}
		if (status >= 300 && status < 400) {
			String target = (headers.getLocation() != null) ? headers.getLocation().getHost() : "nowhere";
			return new Failed("redirected (HTTP " + status + ") to " + clean(target, redact)
					+ "; redirects are never followed with credentials");
		}
		if (status == 401) {
			return (operation == Operation.LOGIN) ? new Rejected("HTTP 401: Tradovate refused the credentials")
					: new Expired();
		}
		if (status != 200) {
			return new Failed("HTTP " + status + describeBody(headers, body));
		}
		if (body.isBlank()) {
			return new Failed("HTTP 200 with an empty body");
		}
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return new Failed("HTTP 200 but the answer is not JSON" + describeBody(headers, body));
		}
		if (root == null || !root.isObject()) {
			return new Failed("HTTP 200 but the answer is not a JSON object" + describeBody(headers, body));
		}
		return readObject(operation, root, headers, sentAt, redact);
	}

	private TradovateAnswer readObject(Operation operation, JsonNode root, HttpHeaders headers, Instant sentAt,
			UnaryOperator<String> redact) {
		String ticket = text(root, "p-ticket");
		boolean captcha = root.path("p-captcha").asBoolean(false);
		if (ticket != null || captcha) {
			return new Penalized(ticket, penaltyWait(root.path("p-time")), captcha);
		}
		if (operation == Operation.ME && text(root, "errorText") != null) {
			// /auth/me's answer has an errorText (OpenAPI): the token is not accepted, as
			// a
			// 401 says
			return new Expired();
		}
		String refusal = refusal(root);
		if (refusal != null) {
			// tokens the answer carries beside its refusal are masked too
			UnaryOperator<String> answerTokens = UpstreamText.masking(text(root, "accessToken"),
					text(root, "mdAccessToken"));
			String reason = "Tradovate: " + clean(refusal, (text) -> answerTokens.apply(redact.apply(text)));
			return (operation == Operation.LOGIN) ? new Rejected(reason) : new Failed(reason);
		}
		if (operation == Operation.ME) {
			long userId = root.path("userId").asLong(-1);
			return (userId >= 0) ? new Identified(userId, text(root, "name"))
					: new Failed("HTTP 200 but /auth/me has no userId");
		}
		return readToken(root, headers, sentAt);
	}

	private TradovateAnswer readToken(JsonNode root, HttpHeaders headers, Instant sentAt) {
		String accessToken = text(root, "accessToken");
		String expirationText = text(root, "expirationTime");
		if (accessToken == null || expirationText == null) {
			return new Failed(
					"HTTP 200 but the answer lacks " + ((accessToken == null) ? "accessToken" : "expirationTime"));
		}
		Instant expirationTime = instant(expirationText);
		if (expirationTime == null) {
			return new Failed("HTTP 200 but expirationTime is not an ISO-8601 time");
		}
		Instant serverNow = serverDate(headers);
		// Tradovate's Date header and expirationTime share Tradovate's clock: their
		// difference is the lifetime whatever our own clock says.
		Duration lifetime = Duration.between((serverNow != null) ? serverNow : sentAt, expirationTime);
		if (lifetime.isNegative() || lifetime.isZero()) {
			return new Failed("expirationTime " + expirationTime + " is not after Tradovate's time "
					+ ((serverNow != null) ? serverNow : sentAt));
		}
		if (lifetime.compareTo(this.maxTokenLifetime) > 0) {
			return new Failed("expirationTime " + expirationTime + " is implausibly far ahead (lifetime " + lifetime
					+ " exceeds " + this.maxTokenLifetime + ")");
		}
		// the Date header has whole seconds: take one off to stay on the safe side
		Instant expiresAt = (serverNow != null) ? sentAt.plus(lifetime).minusSeconds(1) : expirationTime;
		long userId = root.path("userId").asLong(-1);
		IssuedToken token = new IssuedToken(accessToken, text(root, "mdAccessToken"), expiresAt, lifetime,
				(userId >= 0) ? userId : null);
		return new Granted(token);
	}

	private static String refusal(JsonNode root) {
		String errorText = text(root, "errorText");
		if (errorText != null) {
			return errorText;
		}
		JsonNode violations = root.path("violations");
		if (violations.isArray() && !violations.isEmpty()) {
			return "violations " + violations;
		}
		return null;
	}

	private static Duration penaltyWait(JsonNode pTime) {
		long seconds = pTime.asLong(-1);
		if (seconds < 0) {
			return DEFAULT_PENALTY_WAIT;
		}
		Duration wait = Duration.ofSeconds(seconds);
		return (wait.compareTo(LONGEST_PENALTY_WAIT) > 0) ? LONGEST_PENALTY_WAIT : wait;
	}

	private static String text(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || !node.isString()) {
			return null;
		}
		String value = node.stringValue();
		return value.isBlank() ? null : value;
	}

	private static Instant instant(String text) {
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				// some answers leave out the zone: Tradovate's times are UTC
				return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException again) {
				return null;
			}
		}
	}

	private static Instant serverDate(HttpHeaders headers) {
		try {
			long millis = headers.getFirstDate(HttpHeaders.DATE);
			return (millis >= 0) ? Instant.ofEpochMilli(millis) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String describeBody(HttpHeaders headers, String body) {
		String type = (headers.getContentType() != null) ? headers.getContentType().toString() : "no content type";
		return " (" + type + ", " + body.length() + " characters)";
	}

	/** Shortens an outside text and strips what could forge log lines or leak secrets. */
	private static String clean(String text, UnaryOperator<String> redact) {
		return UpstreamText.clean(text, redact);
	}

}
