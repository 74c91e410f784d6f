package io.tokenbroker.account;

import java.net.URI;

/**
 * One Tradovate user the broker logs in as.
 *
 * @param id the account id callers name in {@code GET /token/{account}}
 * @param baseUrl Tradovate REST base URL, e.g. {@code https://demo.tradovateapi.com/v1}
 * @param credentials what the login sends
 */
public record TradovateAccount(String id, URI baseUrl, Credentials credentials) {

	/**
	 * Keeps the scheme, host, port and path of the base URL, whatever it was given: calls
	 * go there and logs print it, never a user name, password, query or fragment.
	 */
	public TradovateAccount {
		if (!baseUrl.isAbsolute() || baseUrl.getHost() == null) {
			throw new IllegalArgumentException("The base URL of account " + id + " has no host");
		}
		baseUrl = URI.create(baseUrl.getScheme() + "://" + baseUrl.getHost()
				+ ((baseUrl.getPort() >= 0) ? ":" + baseUrl.getPort() : "")
				+ ((baseUrl.getRawPath() != null) ? baseUrl.getRawPath() : ""));
	}

}
