package io.tokenbroker.store;

import java.util.Map;
import java.util.Set;

/**
 * The configured store keys: the active one seals new entries, every one opens the
 * entries it sealed, so keys rotate by adding one, making it active, and dropping the old
 * one once every entry was sealed anew.
 */
public final class StoreKeys {

	private final Map<String, SealingKey> byId;

	private final SealingKey active;

	public StoreKeys(Map<String, SealingKey> byId, String activeId) {
		this.byId = Map.copyOf(byId);
		this.active = (activeId != null) ? byId.get(activeId) : null;
	}

	/** Whether a key is configured, so that tokens may be kept. */
	public boolean canSeal() {
		return this.active != null;
	}

	/** Id of the key that seals new entries, or {@code null}. */
	public String activeId() {
		return (this.active != null) ? this.active.id() : null;
	}

	public Set<String> ids() {
		return this.byId.keySet();
	}

	public Sealed seal(byte[] plaintext, String context) {
		if (this.active == null) {
			throw new IllegalStateException("no store key is configured");
		}
		return this.active.seal(plaintext, context);
	}

	/**
	 * @throws UnreadableEntryException when no configured key opens it
	 */
	public byte[] open(Sealed sealed, String context) {
		SealingKey key = this.byId.get(sealed.keyId());
		if (key == null) {
			throw new UnreadableEntryException("it was sealed with key '" + sealed.keyId()
					+ "', which is not configured (broker.store.keys." + sealed.keyId() + ")");
		}
		return key.open(sealed, context);
	}

}
