package io.tokenbroker.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * A caller's requests on a relayed socket, under Tradovate's rules: the broker's own
 * endpoints are refused, every request counts against Tradovate's limits, and a penalty
 * in Tradovate's answer holds the endpoint of the request it answers. Used under its
 * socket's lock.
 */
final class RelayedRequests {

	// the socket's lines keep the socket's logger
	private static final Logger log = LoggerFactory.getLogger(RelayedSocket.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Request ids remembered per socket, to tie a penalty answer to its endpoint. */
	private static final int REMEMBERED = 256;

	private final String account;

	private final SocketKind kind;

	private final SocketServices services;

	private final Map<String, Endpoint> recent = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Endpoint> eldest) {
			return size() > REMEMBERED;
		}

	};

	RelayedRequests(String account, SocketKind kind, SocketServices services) {
		this.account = account;
		this.kind = kind;
		this.services = services;
	}

	/**
	 * The gateway's own answer to a request that does not go to Tradovate, or
	 * {@code null} when it goes (its endpoint is remembered, for a penalty answer).
	 */
	String refusal(CallerFrame frame) {
		this.services.metrics().request(this.account, this.kind.tag());
		Endpoint endpoint = Endpoint.of(frame.endpoint());
		if (endpoint.reserved()) {
			this.services.metrics().refused(this.account, Refusal.RESERVED_ENDPOINT);
			return frame.answer(403, "The broker logs in and renews its token itself");
		}
		try {
			this.services.budget().admit(this.account, endpoint);
		}
		catch (RequestBudget.Refused refused) {
			this.services.metrics().refused(this.account, refused.reason());
			return frame.answer(429,
					refused.getMessage() + "; try again in " + GatewayRefusal.seconds(refused.retryAfter()) + " s");
		}
		this.recent.put(frame.id(), endpoint);
		return null;
	}

	/** A frame from Tradovate: a penalty in an answer holds its request's endpoint. */
	void answered(String text) {
		if (text.contains("\"p-ticket\"")) {
			penalties(text);
		}
	}

	private void penalties(String text) {
		try {
			for (JsonNode message : json.readTree(text.substring(1))) {
				PenaltyAnswer penalty = PenaltyAnswer.of(message.get("d"));
				Endpoint endpoint = this.recent.get(message.path("i").asString(""));
				if (penalty != null && endpoint != null) {
					Duration held = this.services.budget().penalized(endpoint, penalty.pTime(), penalty.captcha());
					this.services.metrics().penalized(this.account);
					log.warn(
							"Gateway: Tradovate penalized {} on the {} socket of account {} (p-time {} s{}); the "
									+ "broker holds calls of it for {} s",
							quoted(endpoint.name()), this.kind.tag(), this.account, penalty.pTime().toSeconds(),
							penalty.captcha() ? ", captcha" : "", held.toSeconds());
				}
			}
		}
		catch (RuntimeException ex) {
			log.debug("Gateway: a frame that names a p-ticket could not be read: {}", ex.getClass().getSimpleName());
		}
	}

}
