package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * What the simulator answers to one call, independent of the servlet API so the logic is
 * tested without HTTP.
 *
 * @param status the HTTP status
 * @param contentType the content type, {@code null} for none
 * @param body the body, empty for none
 * @param delay how long to hold the answer back
 */
record SimulatedReply(int status, String contentType, String body, Duration delay, Cut cut) {

	private static final JsonMapper json = JsonMapper.builder().build();

	SimulatedReply {
		body = (body != null) ? body : "";
		delay = (delay != null) ? delay : Duration.ZERO;
		cut = (cut != null) ? cut : Cut.NONE;
	}

	SimulatedReply(int status, String contentType, String body, Duration delay) {
		this(status, contentType, body, delay, Cut.NONE);
	}

	static SimulatedReply json(int status, Object value) {
		return new SimulatedReply(status, MediaType.APPLICATION_JSON_VALUE, json.writeValueAsString(value),
				Duration.ZERO);
	}

	static SimulatedReply errorText(int status, String errorText) {
		return json(status, Map.of("errorText", errorText));
	}

	/**
	 * Tradovate's answer to an endpoint it does not know: 404 with the JSON text of a
	 * string (inferred from its WebSocket answer, whose data carries that text).
	 * @param endpoint the endpoint, without {@code /v1/}
	 * @return the answer
	 */
	static SimulatedReply notFound(String endpoint) {
		return new SimulatedReply(404, MediaType.APPLICATION_JSON_VALUE, SocketFrames.notFound(endpoint),
				Duration.ZERO);
	}

	static SimulatedReply empty(int status) {
		return new SimulatedReply(status, null, "", Duration.ZERO);
	}

	SimulatedReply delayed(Duration delay) {
		return new SimulatedReply(this.status, this.contentType, this.body, delay, this.cut);
	}

	/** The same reply, cut off halfway through its body. */
	SimulatedReply cut(Cut cut) {
		return new SimulatedReply(this.status, this.contentType, this.body, this.delay, cut);
	}

	byte[] bodyBytes() {
		return this.body.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The body as a JSON tree, for tests.
	 * @return the parsed body
	 */
	JsonNode json() {
		return json.readTree(this.body);
	}

	@Override
	public String toString() {
		// The body may hold tokens: only its size is shown.
		return "SimulatedReply[status=" + this.status + ", contentType=" + this.contentType + ", body="
				+ this.body.length() + " chars, delay=" + this.delay + "]";
	}

	/**
	 * How a reply's body ends.
	 */
	enum Cut {

		/** Whole. */
		NONE,

		/** Half the body, then the connection closes. */
		PARTIAL,

		/** Half the body, then nothing until the reply's delay has passed. */
		STALL

	}

}
