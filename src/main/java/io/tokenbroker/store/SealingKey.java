package io.tokenbroker.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tokenbroker.account.Secret;

/**
 * One AES-256 key and its id. Seals with AES-GCM, a fresh random nonce each time, and the
 * context (say the account id) as associated data, so an entry copied to another account
 * does not open.
 */
public final class SealingKey {

	/** Bytes of an AES-256 key. */
	public static final int LENGTH = 32;

	private static final int NONCE = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom random = new SecureRandom();

	private final String id;

	private final SecretKeySpec key;

	public SealingKey(String id, byte[] key) {
		if (key.length != LENGTH) {
			throw new IllegalArgumentException("an AES-256 key has " + LENGTH + " bytes");
		}
		this.id = id;
		this.key = new SecretKeySpec(key, "AES");
	}

	/**
	 * A key derived (HMAC-SHA256) from secret material the broker holds anyway, for one
	 * purpose: what it seals opens only where the same material is configured.
	 */
	public static SealingKey derive(String id, byte[] material, String purpose) {
		return new SealingKey(id, Secret.hmacSha256(material, purpose));
	}

	public String id() {
		return this.id;
	}

	public Sealed seal(byte[] plaintext, String context) {
		byte[] nonce = new byte[NONCE];
		random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associated(context));
			byte[] sealed = cipher.doFinal(plaintext);
			byte[] data = Arrays.copyOf(nonce, NONCE + sealed.length);
			System.arraycopy(sealed, 0, data, NONCE, sealed.length);
			return new Sealed(this.id, Base64.getEncoder().encodeToString(data));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM failed: " + ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * @throws UnreadableEntryException when the key or the context does not match
	 */
	public byte[] open(Sealed sealed, String context) {
		try {
			byte[] data = Base64.getDecoder().decode(sealed.data());
			if (data.length < NONCE + TAG_BITS / 8) {
				throw new UnreadableEntryException("the sealed entry is truncated");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE));
			cipher.updateAAD(associated(context));
			return cipher.doFinal(data, NONCE, data.length - NONCE);
		}
		catch (IllegalArgumentException ex) {
			throw new UnreadableEntryException("the sealed entry is not Base64");
		}
		catch (GeneralSecurityException ex) {
			throw new UnreadableEntryException("key '" + this.id
					+ "' does not open it: the key configured under this id is not the one that sealed it, or the entry was altered");
		}
	}

	private static byte[] associated(String context) {
		return ("tradovate-token-broker:" + context).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "SealingKey[id=" + this.id + ", ***]";
	}

}
