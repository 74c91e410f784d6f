package io.tokenbroker.account;

import java.net.URI;

/**
 * Tradovate's REST hosts; an account's {@code base-url} overrides them.
 */
public enum TradovateEnvironment {

	DEMO("https://demo.tradovateapi.com/v1"), LIVE("https://live.tradovateapi.com/v1");

	private final URI baseUrl;

	TradovateEnvironment(String baseUrl) {
		this.baseUrl = URI.create(baseUrl);
	}

	public URI baseUrl() {
		return this.baseUrl;
	}

}
