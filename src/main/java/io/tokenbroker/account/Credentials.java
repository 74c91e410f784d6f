package io.tokenbroker.account;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What a Tradovate login sends: the user's name and password and the API key's id, name
 * and secret. Prints with both secrets masked.
 */
public record Credentials(String username, Secret password, String appId, String appVersion, long cid, Secret secret,
		String deviceId) {

	/**
	 * A short fingerprint of everything a login sends, keyed with the API secret: it
	 * changes when any credential changes, and tells nothing of the password to whoever
	 * reads the state store.
	 */
	public String fingerprint() {
		return fingerprint(this.username, this.password.reveal(), this.appId, this.cid, this.deviceId,
				this.secret.reveal());
	}

	/** {@link #fingerprint()} of credentials given as the login sends them. */
	public static String fingerprint(String username, String password, String appId, long cid, String deviceId,
			String secret) {
		byte[] mac = Secret.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
				String.join("\0", username, password, appId, Long.toString(cid), deviceId));
		return HexFormat.of().formatHex(mac, 0, 8);
	}

	/**
	 * Secret material of these credentials, from which the broker derives keys that only
	 * a broker holding the same credentials can derive again.
	 */
	public byte[] keyMaterial() {
		return String.join("\0", this.secret.reveal(), this.password.reveal(), this.username)
			.getBytes(StandardCharsets.UTF_8);
	}

	/** Masks any appearance of the password or API secret in a text from outside. */
	public String redact(String text) {
		if (text == null) {
			return null;
		}
		String redacted = text;
		for (Secret value : new Secret[] { this.password, this.secret }) {
			redacted = redacted.replace(value.reveal(), value.toString());
		}
		return redacted;
	}

}
