package io.tokenbroker.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tradovate's WebSocket framing (partner docs, "WebSocket Connections"): the server sends
 * {@code o} on open, {@code h} as its heartbeat, {@code a[...]} with a JSON array of
 * messages and {@code c[code,"reason"]} on close; clients send {@code []} as their
 * heartbeat and requests as {@code endpoint\nid\nquery\nbody}, answered with
 * {@code {"s":status,"i":id,"d":data}}; pushed events carry {@code "e"}.
 */
final class SocketFrames {

	static final String OPEN = "o";

	static final String HEARTBEAT = "h";

	static final String CLIENT_HEARTBEAT = "[]";

	private static final JsonMapper json = JsonMapper.builder().build();

	private SocketFrames() {
	}

	/**
	 * The answer to a request.
	 * @param id the request's id
	 * @param status its status, as HTTP's
	 * @param data the data, {@code null} for none
	 * @return the frame
	 */
	static String answer(long id, int status, Object data) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("s", status);
		message.put("i", id);
		if (data != null) {
			message.put("d", data);
		}
		return "a" + json.writeValueAsString(List.of(message));
	}

	/**
	 * A pushed event.
	 * @param event its kind: {@code props} (user data) or {@code md} (market data)
	 * @param data its data
	 * @return the frame
	 */
	static String event(String event, Object data) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("e", event);
		message.put("d", data);
		return "a" + json.writeValueAsString(List.of(message));
	}

	static String close(SocketClose reason) {
		return "c" + json.writeValueAsString(List.of(reason.code(), reason.reason()));
	}

	/**
	 * What Tradovate answers for an endpoint it does not know, as seen over its
	 * WebSocket: the data is the JSON text of a string.
	 * @param endpoint the endpoint asked for
	 * @return the data of the 404 answer
	 */
	static String notFound(String endpoint) {
		return json.writeValueAsString("Not found: " + endpoint);
	}

	/**
	 * Read a client frame.
	 * @param text the frame's text
	 * @return the request, or {@code null} for a frame that is not one (no id)
	 */
	static Request parse(String text) {
		String[] parts = text.split("\n", 4);
		if (parts.length < 2) {
			return null;
		}
		long id;
		try {
			id = Long.parseLong(parts[1].trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
		return new Request(parts[0].trim(), id, (parts.length > 2) ? parts[2] : "", (parts.length > 3) ? parts[3] : "");
	}

	/**
	 * One request over a socket.
	 *
	 * @param endpoint e.g. {@code authorize}, {@code md/subscribeQuote}
	 * @param id the client's request id, echoed in the answer
	 * @param query the query string, often empty
	 * @param body the body: JSON, or the raw token for {@code authorize}
	 */
	record Request(String endpoint, long id, String query, String body) {

		boolean is(String name) {
			return this.endpoint.equalsIgnoreCase(name);
		}

		/**
		 * The body as JSON.
		 * @return the parsed body, or {@code null} when it is empty or not JSON
		 */
		JsonNode json() {
			if (this.body.isBlank()) {
				return null;
			}
			try {
				return SocketFrames.json.readTree(this.body);
			}
			catch (JacksonException ex) {
				return null;
			}
		}

		@Override
		public String toString() {
			// the body of authorize is a token
			return "Request[endpoint=" + this.endpoint + ", id=" + this.id + ", body=" + this.body.length() + " chars]";
		}

	}

}
