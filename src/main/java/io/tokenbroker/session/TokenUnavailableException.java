package io.tokenbroker.session;

import java.time.Duration;

/**
 * No token can be served right now. The message says why in words an operator can act on;
 * it never holds a secret or a token.
 */
public class TokenUnavailableException extends RuntimeException {

	private final Reason reason;

	private final Duration retryAfter;

	public TokenUnavailableException(Reason reason, String message, Duration retryAfter) {
		super(message, null, false, false);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	public Reason reason() {
		return this.reason;
	}

	/** When asking again makes sense; at least one second. */
	public Duration retryAfter() {
		return (this.retryAfter.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : this.retryAfter;
	}

	/** Whole seconds until asking again makes sense, rounded up: never too early. */
	public long retryAfterSeconds() {
		Duration wait = retryAfter();
		return wait.toSeconds() + ((wait.toNanosPart() > 0) ? 1 : 0);
	}

	/** Why no token could be served. */
	public enum Reason {

		/** Tradovate could not be reached or answered with an error. */
		UPSTREAM_FAILED,

		/** A login or renewal is still in flight after the caller's wait. */
		STILL_WAITING,

		/** Tradovate imposed a penalty wait. */
		PENALIZED,

		/** Tradovate demands a captcha. */
		CAPTCHA_REQUIRED,

		/** Tradovate answered 423 or 429. */
		LOCKED_OUT,

		/** Tradovate refused the credentials. */
		CREDENTIALS_REJECTED,

		/** The broker's hourly budget of calls to Tradovate is spent. */
		BUDGET_EXHAUSTED,

		/** Tradovate's tokens do not live as long as the caller asked. */
		LIFETIME_TOO_SHORT,

		/**
		 * The state store is unreachable and this replica holds no token (it never logs
		 * in without the store: that could open another session).
		 */
		STORE_UNAVAILABLE,

		/**
		 * The token kept in the state store cannot be opened with the configured keys.
		 */
		STORE_UNREADABLE,

		/**
		 * A caller forced a renewal of this account too recently
		 * ({@code broker.renewal.forced-interval}).
		 */
		RENEWAL_LIMITED

	}

}
