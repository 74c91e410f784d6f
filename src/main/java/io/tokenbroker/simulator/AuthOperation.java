package io.tokenbroker.simulator;

import java.util.Locale;

/**
 * The Tradovate auth calls the simulator answers, each with its own fault queue.
 */
public enum AuthOperation {

	/** {@code POST /v1/auth/accesstokenrequest}. */
	LOGIN,

	/** {@code GET /v1/auth/renewaccesstoken}. */
	RENEW,

	/** {@code GET /v1/auth/me}. */
	ME;

	/**
	 * Parse an operation name as written in admin requests ({@code login}, {@code renew},
	 * {@code me}; any case).
	 * @param name the name
	 * @return the operation
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static AuthOperation of(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("operation is required (login, renew or me)");
		}
		String normalized = name.trim().toUpperCase(Locale.ROOT);
		return switch (normalized) {
			case "LOGIN", "ACCESSTOKENREQUEST" -> LOGIN;
			case "RENEW", "RENEWAL", "RENEWACCESSTOKEN" -> RENEW;
			case "ME" -> ME;
			default -> throw new IllegalArgumentException("Unknown operation '" + name + "' (login, renew or me)");
		};
	}

}
