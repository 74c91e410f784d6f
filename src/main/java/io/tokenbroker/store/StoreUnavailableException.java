package io.tokenbroker.store;

/**
 * The store could not be reached or did not answer in time. The message says so in words
 * an operator can act on; it never holds a record.
 */
public class StoreUnavailableException extends RuntimeException {

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
