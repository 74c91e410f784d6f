package io.tokenbroker.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short SHA-256 fingerprints, so logs can tell tokens apart without ever showing one.
 */
final class Fingerprint {

	private Fingerprint() {
	}

	/**
	 * The first 8 hex characters of the SHA-256 of a secret value.
	 * @param secret a token, ticket or other secret; may be {@code null}
	 * @return the fingerprint, or {@code "none"}
	 */
	static String of(String secret) {
		if (secret == null) {
			return "none";
		}
		return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
	}

	static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
