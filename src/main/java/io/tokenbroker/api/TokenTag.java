package io.tokenbroker.api;

import io.tokenbroker.session.HeldToken;

/**
 * What names a token to callers that keep it, without being it: the account's token
 * revision and the token's expiry (so that a revision counted anew after a restart never
 * names an older token). The {@code ETag} of JSON answers, quoted, and the id of stream
 * events.
 */
public final class TokenTag {

	private TokenTag() {
	}

	/** The event id: {@code r<revision>-<expiry in milliseconds, base 36>}. */
	public static String id(HeldToken token) {
		return "r" + token.revision() + "-" + Long.toString(token.expiresAt().toEpochMilli(), Character.MAX_RADIX);
	}

	/** The entity tag: the id, quoted. */
	static String etag(HeldToken token) {
		return "\"" + id(token) + "\"";
	}

	/**
	 * Whether an {@code If-None-Match} header names this entity tag (weak comparison, as
	 * RFC 9110 asks for it), or is {@code *}.
	 */
	static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		int from = 0;
		while (from <= ifNoneMatch.length()) {
			int comma = ifNoneMatch.indexOf(',', from);
			int end = (comma >= 0) ? comma : ifNoneMatch.length();
			String candidate = ifNoneMatch.substring(from, end).strip();
			if (candidate.startsWith("W/")) {
				candidate = candidate.substring(2);
			}
			if (candidate.equals("*") || candidate.equals(etag)) {
				return true;
			}
			from = end + 1;
		}
		return false;
	}

}
