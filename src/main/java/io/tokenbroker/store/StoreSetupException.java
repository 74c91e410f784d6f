package io.tokenbroker.store;

/**
 * The state store cannot be set up (a directory in use by another broker, not writable,
 * not a directory): start-up stops with this message and what to do.
 */
public class StoreSetupException extends IllegalStateException {

	private final String action;

	public StoreSetupException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/** What the operator should do. */
	public String action() {
		return this.action;
	}

}
