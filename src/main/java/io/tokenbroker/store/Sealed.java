package io.tokenbroker.store;

/**
 * A secret sealed with AES-256-GCM: the id of the key that sealed it and, in Base64, a
 * random 12-byte nonce followed by the ciphertext and its tag.
 *
 * @param keyId id of the sealing key
 * @param data nonce, ciphertext and tag, Base64
 */
public record Sealed(String keyId, String data) {

	@Override
	public String toString() {
		return "Sealed[keyId=" + this.keyId + "]";
	}

}
