package io.tokenbroker.gateway;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.session.HeldToken;

/**
 * The broker's own {@code authorize} on Tradovate's socket: request {@code 0}, with the
 * held token (the mdAccessToken on a market-data socket, when the token has one), and
 * Tradovate's answer to it.
 */
final class UpstreamAuthorize {

	/** The id of the broker's authorize request on the upstream socket. */
	static final String ID = "0";

	private static final JsonMapper json = JsonMapper.builder().build();

	private UpstreamAuthorize() {
	}

	/** The authorize request that presents this token on a socket of this kind. */
	static String request(SocketKind kind, HeldToken held) {
		String secret = (kind == SocketKind.MARKET_DATA && held.mdAccessToken() != null) ? held.mdAccessToken()
				: held.accessToken();
		return "authorize\n" + ID + "\n\n" + secret;
	}

	/** The status of Tradovate's answer to the broker's authorize, if the frame is it. */
	static Integer status(String text) {
		if (!text.startsWith("a[")) {
			return null;
		}
		try {
			for (JsonNode message : json.readTree(text.substring(1))) {
				if (ID.equals(message.path("i").asString(null))
						|| (message.path("i").isNumber() && message.path("i").asLong() == 0)) {
					return message.path("s").asInt(0);
				}
			}
		}
		catch (JacksonException ex) {
			// not an answer
		}
		return null;
	}

}
