package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST /auth/accesstokenrequest}, read leniently like Tradovate does:
 * unknown fields are ignored and {@code cid} may be a number or a numeric string.
 *
 * @param name the username
 * @param password the password
 * @param appId the API key's name
 * @param appVersion the client's version
 * @param cid the API key's id, as sent
 * @param sec the API key's secret
 * @param deviceId the device id, {@code null} when absent
 * @param pTicket the penalty ticket of a retry, {@code null} when absent
 */
record AccessTokenRequest(String name, String password, String appId, String appVersion, String cid, String sec,
		String deviceId, String pTicket) {

	static final int MAX_TEXT = 64;

	static final int MAX_SEC = 8192;

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Read a login body.
	 * @param body the raw request body
	 * @return the request
	 * @throws UnreadableLoginException when the body is not a JSON object (its message
	 * never quotes the body, which holds the password)
	 */
	static AccessTokenRequest parse(byte[] body) {
		if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
			throw new UnreadableLoginException("Request body is missing");
		}
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new UnreadableLoginException("Malformed JSON request body");
		}
		if (root == null || !root.isObject()) {
			throw new UnreadableLoginException("Request body must be a JSON object");
		}
		return new AccessTokenRequest(text(root, "name"), text(root, "password"), text(root, "appId"),
				text(root, "appVersion"), text(root, "cid"), text(root, "sec"), optional(text(root, "deviceId")),
				optional(text(root, "p-ticket")));
	}

	private static String text(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		// Containers become their JSON text, which then fails validation or credentials.
		return node.isValueNode() ? node.asString() : node.toString();
	}

	private static String optional(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/**
	 * What is wrong with the request before credentials are even checked, in Tradovate's
	 * limits (strings at most 64 characters, {@code sec} at most 8192). Never quotes a
	 * value.
	 * @return the problem, or {@code null} when the request is well formed
	 */
	String problem() {
		String problem = required("name", this.name, MAX_TEXT);
		problem = (problem != null) ? problem : required("password", this.password, MAX_TEXT);
		problem = (problem != null) ? problem : required("appId", this.appId, MAX_TEXT);
		problem = (problem != null) ? problem : required("appVersion", this.appVersion, MAX_TEXT);
		problem = (problem != null) ? problem : required("cid", this.cid, MAX_TEXT);
		problem = (problem != null) ? problem : required("sec", this.sec, MAX_SEC);
		problem = (problem != null) ? problem : tooLong("deviceId", this.deviceId, MAX_TEXT);
		problem = (problem != null) ? problem : tooLong("p-ticket", this.pTicket, MAX_TEXT);
		if (problem == null && cidNumber() == null) {
			problem = "cid must be a number";
		}
		return problem;
	}

	private static String required(String field, String value, int max) {
		if (value == null || value.isBlank()) {
			return field + " is required";
		}
		return tooLong(field, value, max);
	}

	private static String tooLong(String field, String value, int max) {
		return (value != null && value.length() > max) ? field + " must be at most " + max + " characters" : null;
	}

	/**
	 * The {@code cid} as a number.
	 * @return the number, or {@code null} when {@code cid} is not an integer
	 */
	Long cidNumber() {
		if (this.cid == null) {
			return null;
		}
		try {
			return Long.valueOf(this.cid.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Identifies the request without its p-ticket, so a ticket is honoured only for the
	 * identical body it answered.
	 * @return hex SHA-256 of every field except the ticket
	 */
	String fingerprint() {
		StringBuilder canonical = new StringBuilder();
		for (String value : new String[] { this.name, this.password, this.appId, this.appVersion, this.cid, this.sec,
				this.deviceId }) {
			// Length prefixes keep ("ab","c") and ("a","bc") apart.
			canonical.append((value != null) ? value.length() + ":" + value : "-").append('\u0000');
		}
		return HexFormat.of().formatHex(Fingerprint.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public String toString() {
		return "AccessTokenRequest[name=" + this.name + ", password=***, appId=" + this.appId + ", appVersion="
				+ this.appVersion + ", cid=" + this.cid + ", sec=***, deviceId=" + this.deviceId + ", pTicket="
				+ ((this.pTicket != null) ? "***" : null) + "]";
	}

	/**
	 * A login body that is not a JSON object: Tradovate answers HTTP 400.
	 */
	static class UnreadableLoginException extends IllegalArgumentException {

		UnreadableLoginException(String message) {
			super(message);
		}

	}

}
