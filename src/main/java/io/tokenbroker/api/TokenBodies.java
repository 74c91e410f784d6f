package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.tokenbroker.session.HeldToken;

/**
 * The bodies of {@code GET /token}, built once: the JSON of a token is serialized again
 * only when its {@code expiresIn} (whole seconds) changes, and its plain-text body once
 * per token. One entry per account, the latest token's. The arrays returned are shared:
 * never modify them.
 */
@Component
class TokenBodies {

	private final JsonMapper json;

	private final Clock clock;

	private final ConcurrentMap<String, Rendered> latest = new ConcurrentHashMap<>();

	TokenBodies(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
	}

	/** The JSON body: a {@link TokenResponse} as of now. */
	byte[] json(HeldToken token) {
		long expiresIn = TokenResponse.expiresIn(token, this.clock.instant());
		Rendered rendered = rendered(token);
		if (rendered.expiresIn() != expiresIn) {
			rendered = new Rendered(token, expiresIn, this.json.writeValueAsBytes(TokenResponse.of(token, expiresIn)),
					rendered.plain());
			this.latest.put(token.account(), rendered);
		}
		return rendered.json();
	}

	/** The plain-text body: the access token alone. */
	byte[] plain(HeldToken token) {
		return rendered(token).plain();
	}

	private Rendered rendered(HeldToken token) {
		Rendered rendered = this.latest.get(token.account());
		if (rendered != null && rendered.token() == token) {
			return rendered;
		}
		rendered = new Rendered(token, Long.MIN_VALUE, null, token.accessToken().getBytes(StandardCharsets.UTF_8));
		this.latest.put(token.account(), rendered);
		return rendered;
	}

	/** A token's bodies; {@code json} is {@code null} until first asked for. */
	private record Rendered(HeldToken token, long expiresIn, byte[] json, byte[] plain) {

		@Override
		public String toString() {
			return "Rendered[" + this.token + "]";
		}

	}

}
