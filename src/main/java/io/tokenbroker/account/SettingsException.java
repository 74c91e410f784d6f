package io.tokenbroker.account;

/**
 * A setting, or what it points at, cannot work (two clients with one key digest, a state
 * directory in use by another broker...): start-up stops with this message and what to
 * do, in a few lines instead of a stack trace. Never carries a secret.
 */
public class SettingsException extends IllegalStateException {

	private final String action;

	public SettingsException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/** What the operator should do. */
	public String action() {
		return this.action;
	}

}
