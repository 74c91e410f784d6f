package io.tokenbroker.api;

/**
 * The caller's key does not cover the account it asked for.
 */
public class AccountNotAllowedException extends RuntimeException {

	AccountNotAllowedException(String message) {
		super(message, null, false, false);
	}

}
