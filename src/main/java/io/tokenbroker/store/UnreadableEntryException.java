package io.tokenbroker.store;

/**
 * A sealed secret that cannot be opened: sealed with a key that is not configured, with
 * other key material under the same id, or altered. Never served, never repaired by a new
 * login.
 */
public class UnreadableEntryException extends RuntimeException {

	public UnreadableEntryException(String message) {
		super(message, null, false, false);
	}

}
