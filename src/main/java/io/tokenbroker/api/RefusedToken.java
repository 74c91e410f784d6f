package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;

/**
 * The body of a report of a refused token: the token as plain text, or JSON
 * {@code {"accessToken": "..."}}. Never echoed in an error.
 */
final class RefusedToken {

	/** Longer than any token Tradovate issues. */
	static final int LONGEST = 8192;

	private static final JsonMapper json = JsonMapper.builder().build();

	private RefusedToken() {
	}

	static String read(byte[] body, MediaType type) {
		String token;
		if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
			try {
				JsonNode node = json.readTree(body).path("accessToken");
				token = node.isString() ? node.stringValue() : null;
			}
			catch (JacksonException ex) {
				token = null;
			}
		}
		else {
			token = new String(body, StandardCharsets.UTF_8).strip();
		}
		if (token == null || token.isBlank() || token.length() > LONGEST
				|| !token.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			ErrorResponseException refusal = new ErrorResponseException(HttpStatus.BAD_REQUEST);
			refusal.setDetail("The body must be the refused access token, as text or as {\"accessToken\": \"...\"}.");
			throw refusal;
		}
		return token;
	}

}
