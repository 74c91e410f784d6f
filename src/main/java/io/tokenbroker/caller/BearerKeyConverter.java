package io.tokenbroker.caller;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <client key>}. No header means an anonymous request;
 * anything else that is not a well-formed bearer key is refused outright.
 */
class BearerKeyConverter implements AuthenticationConverter {

	/** Generated keys are 43 characters; anything this long is not a key. */
	static final int LONGEST_KEY = 256;

	@Override
	public Authentication convert(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			return null;
		}
		if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new BadCredentialsException("the Authorization header must be \"Bearer <client key>\"");
		}
		String key = header.substring(7).strip();
		if (key.isEmpty() || key.length() > LONGEST_KEY || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new BadCredentialsException("the bearer key is malformed");
		}
		return new PresentedKey(key);
	}

}
