package io.tokenbroker.account;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account's base URL is what calls go to and what logs print: scheme, host, port and
 * path, whatever else it was given.
 */
class TradovateAccountTests {

	private static final Credentials CREDENTIALS = new Credentials("u", Secret.of("p"), "a", "1.0", 1, Secret.of("s"),
			"d");

	@Test
	void aBaseUrlKeepsOnlySchemeHostPortAndPath() {
		assertThat(baseUrl("https://trader:pa55@proxy.internal:8443/v1?debug=1#top"))
			.hasToString("https://proxy.internal:8443/v1");
		assertThat(baseUrl("http://[::1]:9/v1")).hasToString("http://[::1]:9/v1");
		assertThat(baseUrl("https://demo.tradovateapi.com/v1")).hasToString("https://demo.tradovateapi.com/v1");
		assertThat(baseUrl("https://host/a%20b/v1")).hasToString("https://host/a%20b/v1");
	}

	private static URI baseUrl(String url) {
		return new TradovateAccount("main", URI.create(url), CREDENTIALS).baseUrl();
	}

}
