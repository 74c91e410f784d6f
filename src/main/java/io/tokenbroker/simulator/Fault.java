package io.tokenbroker.simulator;

import java.time.Duration;
import java.util.Locale;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;

/**
 * One scripted misbehaviour of the simulated Tradovate, given to
 * {@link SimulatedTradovate#enqueue(AuthOperation, Fault)} or
 * {@link SimulatedTradovate#stick(AuthOperation, Fault)}. Except for {@link Kind#DELAY}
 * the request is not processed: no session, no rate-limit count.
 *
 * @param kind what the simulator does instead of (or before) answering normally
 * @param status HTTP status of the answer (ignored by {@code DELAY} and {@code PENALTY})
 * @param contentType content type of the answer, {@code null} for none
 * @param body body of the answer; the error text for {@code ERROR_TEXT}
 * @param delay how long the answer is held back; {@link Duration#ZERO} for none
 * @param penaltyTime p-time of a {@code PENALTY}
 * @param captcha whether a {@code PENALTY} carries {@code p-captcha: true}
 */
public record Fault(Kind kind, int status, String contentType, String body, Duration delay, Duration penaltyTime,
		boolean captcha) {

	/** Typical truncated JSON: a proxy or upstream cut the connection mid-body. */
	static final String TRUNCATED_JSON = "{\"accessToken\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0\",\"expirationTime\":\"2026-01-";

	public Fault {
		Assert.notNull(kind, "kind must not be null");
		Assert.isTrue(status >= 100 && status <= 599, "status must be an HTTP status (100-599)");
		delay = (delay != null) ? delay : Duration.ZERO;
		Assert.isTrue(!delay.isNegative(), "delay must not be negative");
		penaltyTime = (penaltyTime != null) ? penaltyTime : Duration.ZERO;
		Assert.isTrue(!penaltyTime.isNegative(), "penaltyTime must not be negative");
		if (contentType != null) {
			MediaType.parseMediaType(contentType);
		}
	}

	/**
	 * Answer with this HTTP status and an empty body (e.g. 500, 502, 503, 423, 429).
	 * @param status the HTTP status
	 * @return the fault
	 */
	public static Fault status(int status) {
		return new Fault(Kind.STATUS, status, null, "", Duration.ZERO, Duration.ZERO, false);
	}

	/**
	 * Process the request normally but hold the answer back; the work (a new session, a
	 * renewal) is done at once, as when an upstream answer is lost to a client timeout.
	 * @param delay how long to hold the answer
	 * @return the fault
	 */
	public static Fault delay(Duration delay) {
		return new Fault(Kind.DELAY, 200, null, "", delay, Duration.ZERO, false);
	}

	/**
	 * Answer HTTP 200 {@code application/json} with a truncated JSON body.
	 * @return the fault
	 */
	public static Fault malformedJson() {
		return new Fault(Kind.MALFORMED_JSON, 200, MediaType.APPLICATION_JSON_VALUE, TRUNCATED_JSON, Duration.ZERO,
				Duration.ZERO, false);
	}

	/**
	 * Answer with a proxy's HTML error page (use 200 or 502).
	 * @param status the HTTP status
	 * @return the fault
	 */
	public static Fault htmlPage(int status) {
		return new Fault(Kind.HTML_PAGE, status, MediaType.TEXT_HTML_VALUE + ";charset=UTF-8", htmlPageBody(status),
				Duration.ZERO, Duration.ZERO, false);
	}

	/**
	 * Answer HTTP 200 with a penalty: {@code p-ticket}, {@code p-time} and, when asked,
	 * {@code p-captcha: true}. A login penalty's ticket is real: resent after p-time with
	 * the identical body, the login is processed.
	 * @param penaltyTime the p-time
	 * @param captcha whether to demand a captcha
	 * @return the fault
	 */
	public static Fault penalty(Duration penaltyTime, boolean captcha) {
		return new Fault(Kind.PENALTY, 200, MediaType.APPLICATION_JSON_VALUE, "", Duration.ZERO, penaltyTime, captcha);
	}

	/**
	 * Answer HTTP 200 {@code {"errorText": text}}.
	 * @param text the error text
	 * @return the fault
	 */
	public static Fault errorText(String text) {
		Assert.hasText(text, "text must not be empty");
		return new Fault(Kind.ERROR_TEXT, 200, MediaType.APPLICATION_JSON_VALUE, text, Duration.ZERO, Duration.ZERO,
				false);
	}

	/**
	 * Answer exactly this.
	 * @param status the HTTP status
	 * @param contentType the content type, {@code null} for none
	 * @param body the body, {@code null} for none
	 * @return the fault
	 */
	public static Fault raw(int status, String contentType, String body) {
		return new Fault(Kind.RAW, status, contentType, (body != null) ? body : "", Duration.ZERO, Duration.ZERO,
				false);
	}

	/**
	 * HTTP 200 and half a token answer, then the connection closes.
	 * @return the fault
	 */
	public static Fault partialBody() {
		return new Fault(Kind.PARTIAL_BODY, 200, MediaType.APPLICATION_JSON_VALUE, "", Duration.ZERO, Duration.ZERO,
				false);
	}

	/**
	 * HTTP 200 and half a token answer, then silence for {@code silence}.
	 * @param silence how long nothing more comes
	 * @return the fault
	 */
	public static Fault stall(Duration silence) {
		return new Fault(Kind.STALL, 200, MediaType.APPLICATION_JSON_VALUE, "", silence, Duration.ZERO, false);
	}

	/**
	 * The same fault, answered only after a delay (e.g. a 504 after 10 seconds).
	 * @param delay how long to hold the answer
	 * @return the delayed fault
	 */
	public Fault after(Duration delay) {
		return new Fault(this.kind, this.status, this.contentType, this.body, delay, this.penaltyTime, this.captcha);
	}

	static String htmlPageBody(int status) {
		String title = status + " " + reason(status);
		return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
				+ "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Temporarily Unavailable";
			case 504 -> "Gateway Time-out";
			default -> "Error";
		};
	}

	/**
	 * What a fault does.
	 */
	public enum Kind {

		/** Answer normally, late. */
		DELAY,

		/** Given status, empty body. */
		STATUS,

		/** HTTP 200 with truncated JSON. */
		MALFORMED_JSON,

		/** HTML error page with the given status. */
		HTML_PAGE,

		/** HTTP 200 penalty ticket. */
		PENALTY,

		/** HTTP 200 with an errorText. */
		ERROR_TEXT,

		/** Exactly the given status, content type and body. */
		RAW,

		/** HTTP 200 and half a token answer, then the connection closes. */
		PARTIAL_BODY,

		/**
		 * HTTP 200 and half a token answer, then silence for the fault's delay (60 s by
		 * default): a timeout in the middle of the body.
		 */
		STALL;

		/**
		 * Parse a kind as written in admin requests: {@code status}, {@code delay},
		 * {@code malformed-json}, {@code html}, {@code penalty}, {@code error-text},
		 * {@code raw} (any case, {@code -} or {@code _}).
		 * @param name the name
		 * @return the kind
		 * @throws IllegalArgumentException for an unknown name
		 */
		public static Kind of(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("kind is required");
			}
			String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
			return switch (normalized) {
				case "DELAY" -> DELAY;
				case "STATUS" -> STATUS;
				case "MALFORMED_JSON", "MALFORMED", "TRUNCATED_JSON" -> MALFORMED_JSON;
				case "HTML_PAGE", "HTML" -> HTML_PAGE;
				case "PENALTY" -> PENALTY;
				case "ERROR_TEXT", "ERRORTEXT" -> ERROR_TEXT;
				case "RAW" -> RAW;
				case "PARTIAL_BODY", "PARTIAL" -> PARTIAL_BODY;
				case "STALL" -> STALL;
				default -> throw new IllegalArgumentException("Unknown fault kind '" + name
						+ "' (status, delay, malformed-json, html, penalty, error-text, raw, partial-body, stall)");
			};
		}

	}

}
