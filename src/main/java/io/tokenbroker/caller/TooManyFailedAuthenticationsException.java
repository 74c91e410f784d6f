package io.tokenbroker.caller;

import java.time.Duration;

/**
 * The remote address failed authentication too often and is locked out for a while.
 */
public class TooManyFailedAuthenticationsException extends RuntimeException {

	private final Duration retryAfter;

	public TooManyFailedAuthenticationsException(Duration retryAfter) {
		super("too many failed authentications from this address", null, false, false);
		this.retryAfter = retryAfter;
	}

	/** Whole seconds until the lock-out ends, at least one. */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

}
