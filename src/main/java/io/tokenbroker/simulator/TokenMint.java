package io.tokenbroker.simulator;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes the random, URL-safe strings the simulator hands out, as long as Tradovate's real
 * ones so clients cannot get away with short buffers or columns.
 */
final class TokenMint {

	private static final int TOKEN_BYTES = 96;

	private static final int TICKET_BYTES = 24;

	private final SecureRandom random = new SecureRandom();

	/**
	 * A new access or market-data token (128 characters).
	 * @return the token
	 */
	String token() {
		return next(TOKEN_BYTES);
	}

	/**
	 * A new p-ticket (32 characters).
	 * @return the ticket
	 */
	String ticket() {
		return next(TICKET_BYTES);
	}

	private String next(int bytes) {
		byte[] buffer = new byte[bytes];
		this.random.nextBytes(buffer);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
	}

}
