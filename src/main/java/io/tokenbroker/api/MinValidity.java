package io.tokenbroker.api;

/**
 * {@code minValidity}: how many seconds the token asked for must still live, 0 by
 * default. The chain reads it with Spring MVC's binding and validation, which name every
 * mistake; the hot path reads only the form they agree on without a doubt (the whole
 * query is {@code minValidity=} and at most five digits within the bound) and leaves
 * every other query to the chain.
 */
final class MinValidity {

	/** The longest accepted: no Tradovate token lives a day. */
	static final long LONGEST = 86_400;

	private static final String PARAMETER = "minValidity=";

	private MinValidity() {
	}

	/** Seconds, 0 without a query, -1 for any query the chain must read. */
	static long inQuery(String query) {
		if (query == null) {
			return 0;
		}
		int digits = query.length() - PARAMETER.length();
		if (!query.startsWith(PARAMETER) || digits < 1 || digits > 5) {
			return -1;
		}
		long seconds = 0;
		for (int i = PARAMETER.length(); i < query.length(); i++) {
			char c = query.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			seconds = seconds * 10 + (c - '0');
		}
		return (seconds <= LONGEST) ? seconds : -1;
	}

}
