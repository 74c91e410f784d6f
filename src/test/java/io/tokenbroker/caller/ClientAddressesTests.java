package io.tokenbroker.caller;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The address a request comes from, and the IP literals it is read from, without the HTTP
 * server.
 */
class ClientAddressesTests {

	private final ClientAddresses behindProxies = new ClientAddresses(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

	@Test
	void everyForwardedForLineBelongsToTheChainWalkedFromTheRight() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("127.0.0.1");
		// the client's own line first, the one its proxy appended (HAProxy's forwardfor)
		// last
		request.addHeader("X-Forwarded-For", "6.6.6.6");
		request.addHeader("X-Forwarded-For", "203.0.113.7, 10.0.0.2");

		assertThat(this.behindProxies.of(request)).isEqualTo("203.0.113.7");
	}

	@Test
	void aTrustedLineBeforeTheClientsIsNotBelieved() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("127.0.0.1");
		request.addHeader("X-Forwarded-For", "198.51.100.1");
		request.addHeader("X-Forwarded-For", "10.0.0.3");
		request.addHeader("X-Forwarded-For", "203.0.113.9");

		assertThat(this.behindProxies.of(request)).isEqualTo("203.0.113.9");
	}

}
