package io.tokenbroker.session;

/**
 * What an account's lifecycle tells operators about, such as metrics. Called under the
 * session's lock: implementations must be quick and must not call back into the session.
 */
public interface SessionEvents {

	/** Tells nobody. */
	SessionEvents NONE = (account, state) -> {
	};

	/**
	 * Tradovate made an account wait: a penalty ticket ({@link SessionState#PENALIZED}),
	 * a captcha demand ({@link SessionState#CAPTCHA_REQUIRED}), a lock-out
	 * ({@link SessionState#LOCKED_OUT}) or refused credentials
	 * ({@link SessionState#REJECTED}).
	 * @param account account id
	 * @param state the waiting state the account entered
	 */
	void waitImposed(String account, SessionState state);

}
