package io.tokenbroker.api;

/**
 * The request names no configured account.
 */
public class UnknownAccountException extends RuntimeException {

	UnknownAccountException(String message) {
		super(message, null, false, false);
	}

}
