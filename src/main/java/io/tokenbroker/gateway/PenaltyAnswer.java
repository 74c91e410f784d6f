package io.tokenbroker.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tradovate's penalty answer (partner docs, "Rate Limits"): HTTP 200 with
 * {@code p-ticket}, {@code p-time} in seconds and sometimes {@code p-captcha: true}; the
 * call was not processed. On a WebSocket the same fields are the data of the answer. The
 * gateway passes it on unchanged and holds the endpoint; the ticket is its caller's.
 *
 * @param pTime the p-time
 * @param captcha whether Tradovate wants a captcha solved, which no program can do
 */
record PenaltyAnswer(Duration pTime, boolean captcha) {

	/** A penalty answer is a few dozen bytes: larger bodies are not read for one. */
	static final int LONGEST = 4096;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final byte[] MARK = "\"p-ticket\"".getBytes(StandardCharsets.US_ASCII);

	/** The penalty a REST answer's body carries, or {@code null}. */
	static PenaltyAnswer in(byte[] body, int length) {
		if (length > LONGEST || !contains(body, length, MARK)) {
			return null;
		}
		try {
			return of(json.readTree(new String(body, 0, length, StandardCharsets.UTF_8)));
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** The penalty in the data of one WebSocket answer, or {@code null}. */
	static PenaltyAnswer of(JsonNode data) {
		if (data == null || !data.isObject() || !data.has("p-ticket")) {
			return null;
		}
		JsonNode time = data.get("p-time");
		long seconds = (time != null && time.isNumber()) ? Math.max(0, time.asLong()) : 0;
		JsonNode captcha = data.get("p-captcha");
		return new PenaltyAnswer(Duration.ofSeconds(seconds), captcha != null && captcha.asBoolean(false));
	}

	/** Whether a body of Tradovate's carries a non-empty {@code errorText}. */
	static boolean hasErrorText(byte[] body, int length) {
		if (length > LONGEST || !contains(body, length, "\"errorText\"".getBytes(StandardCharsets.US_ASCII))) {
			return false;
		}
		try {
			JsonNode errorText = json.readTree(new String(body, 0, length, StandardCharsets.UTF_8)).get("errorText");
			return errorText != null && !errorText.asString("").isBlank();
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private static boolean contains(byte[] body, int length, byte[] mark) {
		outer: for (int i = 0; i + mark.length <= length; i++) {
			for (int j = 0; j < mark.length; j++) {
				if (body[i + j] != mark[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

}
