package io.tokenbroker.account;

/**
 * What a Tradovate login sends: the user's name and password and the API key's id, name
 * and secret. Prints with both secrets masked.
 */
public record Credentials(String username, Secret password, String appId, String appVersion, long cid, Secret secret,
		String deviceId) {

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
