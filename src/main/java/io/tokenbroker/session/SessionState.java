package io.tokenbroker.session;

/**
 * Where an account's token lifecycle stands.
 */
public enum SessionState {

	/** No token yet; the first login has not started. */
	STARTING,

	/** A login is in flight. */
	LOGGING_IN,

	/** A token is held and its renewal is scheduled. */
	VALID,

	/** A renewal is in flight; the current token is still served. */
	RENEWING,

	/**
	 * Tradovate is asked whether the session is still open; the token is still served.
	 */
	CHECKING,

	/** The last call failed; the next one waits for the back-off. */
	BACKING_OFF,

	/** Tradovate issued a penalty ticket; the login is resent with it after the wait. */
	PENALIZED,

	/** Tradovate demands a captcha: a human must log in once on the web. */
	CAPTCHA_REQUIRED,

	/** Tradovate answered 423 or 429: no call until the cool-down ends. */
	LOCKED_OUT,

	/** Tradovate refused the credentials: no call until the cool-down ends. */
	REJECTED

}
