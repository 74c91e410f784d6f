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

	/**
	 * Minted keys are 48 characters (43 before the tvtb_ prefix); anything this long is
	 * not a key.
	 */
	static final int LONGEST_KEY = 256;

	@Override
	public Authentication convert(HttpServletRequest request) {
		String key = key(request.getHeader(HttpHeaders.AUTHORIZATION));
		return (key != null) ? new PresentedKey(key) : null;
	}

	/**
	 * The key of an {@code Authorization} header, or {@code null} when it holds no bearer
	 * key.
	 * @throws MalformedKeyException when the bearer key is not well formed
	 */
	static String key(String header) {
		if (header == null) {
			return null;
		}
		if (!header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.equalsIgnoreCase("Bearer")) {
			return null;
		}
		String key = header.substring(Math.min(7, header.length())).strip();
		if (!wellFormed(key)) {
			throw new MalformedKeyException("the bearer key is malformed");
		}
		return key;
	}

	/** Whether a presented key could be a key: 1-256 printable ASCII characters. */
	static boolean wellFormed(String key) {
		if (key.isEmpty() || key.length() > LONGEST_KEY) {
			return false;
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c <= 0x20 || c >= 0x7f) {
				return false;
			}
		}
		return true;
	}

}
