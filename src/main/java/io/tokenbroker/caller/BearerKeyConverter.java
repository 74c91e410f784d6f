package io.tokenbroker.caller;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <client key>}. No header, or another scheme, means
 * an anonymous request (RFC 6750: a challenge without an error code); a bearer key that
 * is not well formed is refused outright as an invalid request.
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
		if (!header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.equalsIgnoreCase("Bearer")) {
			return null;
		}
		String key = header.substring(Math.min(7, header.length())).strip();
		if (key.isEmpty() || key.length() > LONGEST_KEY || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new MalformedKeyException("the bearer key is malformed");
		}
		return new PresentedKey(key);
	}

}
