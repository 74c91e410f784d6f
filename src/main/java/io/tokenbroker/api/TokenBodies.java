package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.HeldToken;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The answers to a token's callers, built once: the JSON of a token is serialized again
 * only when its {@code expiresIn} (whole seconds) or its {@code renewAt} changes; its
 * plain-text body and its tag once per token. One entry per account, the latest token's.
 * The arrays returned are shared: never modify them.
 */
@Component
@PartOf(Feature.BROKER)
public class TokenBodies {

	private final JsonMapper json;

	private final AccountSessions sessions;

	private final Clock clock;

	private final ConcurrentMap<String, Rendered> latest = new ConcurrentHashMap<>();

	TokenBodies(JsonMapper json, AccountSessions sessions, Clock clock) {
		this.json = json;
		this.sessions = sessions;
		this.clock = clock;
	}

	/** The JSON body: a {@link TokenResponse} as of now. */
	public byte[] json(HeldToken token) {
		Instant now = this.clock.instant();
		long expiresIn = TokenResponse.expiresIn(token, now);
		AccountSession session = this.sessions.find(token.account()).orElse(null);
		Instant renewAt = (session != null) ? session.renewAt(token, now) : null;
		Rendered rendered = rendered(token);
		if (rendered.expiresIn() != expiresIn || !Objects.equals(rendered.renewAt(), renewAt)
				|| rendered.json() == null) {
			rendered = rendered.withJson(expiresIn, renewAt,
					this.json.writeValueAsBytes(TokenResponse.of(token, expiresIn, renewAt)));
			this.latest.put(token.account(), rendered);
		}
		return rendered.json();
	}

	/** The plain-text body: the access token alone. */
	public byte[] plain(HeldToken token) {
		return rendered(token).plain();
	}

	/** The entity tag of the JSON body: names the token, never contains it. */
	public String etag(HeldToken token) {
		return rendered(token).etag();
	}

	/** The entity tag as the bytes Tomcat writes. */
	byte[] etagBytes(HeldToken token) {
		return rendered(token).etagBytes();
	}

	private Rendered rendered(HeldToken token) {
		Rendered rendered = this.latest.get(token.account());
		if (rendered != null && rendered.token() == token) {
			return rendered;
		}
		String etag = TokenTag.etag(token);
		rendered = new Rendered(token, etag, etag.getBytes(StandardCharsets.ISO_8859_1),
				token.accessToken().getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE, null, null);
		this.latest.put(token.account(), rendered);
		return rendered;
	}

	/** A token's answers; {@code json} is {@code null} until first asked for. */
	private record Rendered(HeldToken token, String etag, byte[] etagBytes, byte[] plain, long expiresIn,
			Instant renewAt, byte[] json) {

		Rendered withJson(long expiresIn, Instant renewAt, byte[] json) {
			return new Rendered(this.token, this.etag, this.etagBytes, this.plain, expiresIn, renewAt, json);
		}

		@Override
		public String toString() {
			return "Rendered[" + this.token + "]";
		}

	}

}
