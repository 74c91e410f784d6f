package io.tokenbroker.caller;

import org.springframework.security.core.AuthenticationException;

/**
 * A bearer key that cannot be a key (empty, too long, with spaces or control characters):
 * an invalid request in RFC 6750's terms.
 */
public class MalformedKeyException extends AuthenticationException {

	public MalformedKeyException(String message) {
		super(message);
	}

}
