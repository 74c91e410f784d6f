package io.tokenbroker.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A password or API secret. Prints as {@code ***} everywhere (logs, bind errors,
 * actuator), so the only way to read it is {@link #reveal()}, called where it goes on the
 * wire.
 */
public final class Secret {

	// One digest per thread instead of a provider look-up or a clone per call (every GET
	// /token): digest() leaves it reset for the next
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	});

	private final String value;

	private Secret(String value) {
		this.value = value;
	}

	/** Returns a secret, or {@code null} for a missing or blank value. */
	public static Secret of(String value) {
		return (value == null || value.isBlank()) ? null : new Secret(value);
	}

	public String reveal() {
		return this.value;
	}

	public int length() {
		return this.value.length();
	}

	/**
	 * The first 8 hex digits of the SHA-256 of a value: enough to tell two apart in a
	 * log.
	 */
	public static String fingerprint(String value) {
		return HexFormat.of().formatHex(sha256(value), 0, 4);
	}

	/** SHA-256 of a text's UTF-8 bytes. */
	public static byte[] sha256(String value) {
		return SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8));
	}

	/** HMAC-SHA256 of a text's UTF-8 bytes under a key. */
	public static byte[] hmacSha256(byte[] key, String value) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Secret secret && MessageDigest.isEqual(bytes(), secret.bytes());
	}

	@Override
	public int hashCode() {
		return 0;
	}

	private byte[] bytes() {
		return this.value.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "***";
	}

}
