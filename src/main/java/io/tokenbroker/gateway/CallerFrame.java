package io.tokenbroker.gateway;

/**
 * A text frame a caller sends on a Tradovate WebSocket: the heartbeat {@code []}, or a
 * request {@code endpoint\nid\nquery\nbody} (partner docs, "WebSocket Connections"), or
 * anything else, which is relayed as it is.
 *
 * @param endpoint the request's endpoint, or {@code null} when the frame is no request
 * @param id the request's id, as sent
 * @param body the request's body (the token of {@code authorize}), or empty
 */
record CallerFrame(String endpoint, String id, String body) {

	static final String HEARTBEAT = "[]";

	static boolean isHeartbeat(String text) {
		return text.isEmpty() || HEARTBEAT.equals(text.strip());
	}

	/** The request a frame holds, or {@code null}. */
	static CallerFrame parse(String text) {
		int first = text.indexOf('\n');
		if (first <= 0) {
			return null;
		}
		int second = text.indexOf('\n', first + 1);
		String id = text.substring(first + 1, (second < 0) ? text.length() : second).strip();
		if (id.isEmpty() || !id.chars().allMatch(Character::isDigit) || id.length() > 18) {
			return null;
		}
		String body = "";
		if (second >= 0) {
			int third = text.indexOf('\n', second + 1);
			body = (third < 0) ? "" : text.substring(third + 1);
		}
		return new CallerFrame(text.substring(0, first).strip(), id, body);
	}

	boolean isAuthorize() {
		return "authorize".equalsIgnoreCase(this.endpoint);
	}

	/**
	 * The key in an {@code authorize} body: the raw text, or the text of a JSON string,
	 * which some clients send (Tradovate refuses a quoted token, the gateway accepts a
	 * quoted key).
	 */
	String key() {
		String key = this.body.strip();
		if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
			key = key.substring(1, key.length() - 1);
		}
		return key;
	}

	/** An answer to this request, as Tradovate frames one, with a JSON string as data. */
	String answer(int status, String data) {
		return "a[{\"s\":" + status + ",\"i\":" + this.id
				+ ((data != null) ? ",\"d\":\"" + data.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : "") + "}]";
	}

	@Override
	public String toString() {
		// the body of authorize is a key or a token
		return "CallerFrame[endpoint=" + this.endpoint + ", id=" + this.id + ", body=" + this.body.length() + " chars]";
	}

}
