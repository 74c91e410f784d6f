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
	 * RFC 9110 asks for it), or is {@code *}. Its lines, joined with line feeds, are one
	 * list, as RFC 9110 has it; nothing is copied.
	 */
	static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		int length = ifNoneMatch.length();
		int from = 0;
		while (from <= length) {
			int end = from;
			while (end < length && ifNoneMatch.charAt(end) != ',' && ifNoneMatch.charAt(end) != '\n') {
				end++;
			}
			int start = from;
			int stop = end;
			while (start < stop && Character.isWhitespace(ifNoneMatch.charAt(start))) {
				start++;
			}
			while (stop > start && Character.isWhitespace(ifNoneMatch.charAt(stop - 1))) {
				stop--;
			}
			if (ifNoneMatch.startsWith("W/", start)) {
				start += 2;
			}
			int size = stop - start;
			if ((size == 1 && ifNoneMatch.charAt(start) == '*')
					|| (size == etag.length() && ifNoneMatch.regionMatches(start, etag, 0, size))) {
				return true;
			}
			from = end + 1;
		}
		return false;
	}

}
