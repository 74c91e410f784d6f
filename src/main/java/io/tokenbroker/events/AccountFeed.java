package io.tokenbroker.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.api.TokenBodies;
import io.tokenbroker.api.TokenTag;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.session.TokenUnavailableException;

/**
 * The token events of one account and the streams that receive them. Runs on the feeds'
 * single thread only (except {@link #size()}): an event reaches every stream in the order
 * the feed saw it.
 * <ul>
 * <li>{@code token} (id: the token's tag) when a new token is served: a renewal, a new
 * login, a revoked token replaced, or serving again after an outage;</li>
 * <li>{@code unavailable} when the account stops serving, with the reason a {@code 503}
 * would give.</li>
 * </ul>
 */
final class AccountFeed {

	private final AccountSession session;

	private final TokenBodies bodies;

	private final JsonMapper json;

	private final Duration waitForToken;

	private final Executor thread;

	private final Clock clock;

	private final BiConsumer<TokenStream, HeldToken> issued;

	private final Set<TokenStream> streams = ConcurrentHashMap.newKeySet();

	/** The token last announced, or {@code null} when none is served. */
	private HeldToken token;

	/** The outage last announced, or {@code null}. */
	private Unavailable unavailable;

	/** A call for a token in flight, for want of one. */
	private CompletableFuture<HeldToken> asking;

	private Instant askAgainAt = Instant.MIN;

	/**
	 * @param thread the feeds' thread, on which answers are handled
	 * @param issued told of each token a stream received, for the audit
	 */
	AccountFeed(AccountSession session, TokenBodies bodies, JsonMapper json, Duration waitForToken, Executor thread,
			Clock clock, BiConsumer<TokenStream, HeldToken> issued) {
		this.session = session;
		this.bodies = bodies;
		this.json = json;
		this.waitForToken = waitForToken;
		this.thread = thread;
		this.clock = clock;
		this.issued = issued;
	}

	String account() {
		return this.session.id();
	}

	/** Open streams; readable from any thread. */
	int size() {
		return this.streams.size();
	}

	Set<TokenStream> streams() {
		return this.streams;
	}

	/**
	 * A new stream: it gets what the feed knows now (the token, unless the caller had it
	 * already, or the outage), then every later event.
	 */
	void join(TokenStream stream) {
		check(null);
		if (this.token != null) {
			if (!TokenTag.id(this.token).equals(stream.lastEventId()) && stream.send(tokenEvent(this.token))) {
				this.issued.accept(stream, this.token);
			}
		}
		else if (this.unavailable != null) {
			stream.send(this.unavailable.event(this.json));
		}
		if (!stream.ended()) {
			this.streams.add(stream);
		}
	}

	/** Forgets what was announced and asked, as a feed just made. */
	void reset() {
		this.token = null;
		this.unavailable = null;
		this.asking = null;
		this.askAgainAt = Instant.MIN;
	}

	void leave(TokenStream stream) {
		this.streams.remove(stream);
	}

	/**
	 * Looks at the account: announces a token served now that was not announced yet, or,
	 * when none is served, asks for one (as a caller would) and announces what comes.
	 * @param now the time, or {@code null} to ask whatever the last answer said
	 */
	void check(Instant now) {
		if (this.streams.isEmpty() && now != null) {
			return;
		}
		HeldToken held = this.session.held(Duration.ZERO);
		if (held != null) {
			announce(held);
			return;
		}
		// the token announced last is no longer served: no stream may get it any more
		this.token = null;
		if (this.asking != null || (now != null && now.isBefore(this.askAgainAt))) {
			return;
		}
		CompletableFuture<HeldToken> asking = this.session.token(Duration.ZERO, this.waitForToken);
		this.asking = asking;
		asking.whenComplete((token, error) -> this.thread.execute(() -> answered(token, error)));
	}

	private void answered(HeldToken token, Throwable error) {
		this.asking = null;
		if (token != null) {
			announce(token);
			return;
		}
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		TokenUnavailableException why = (cause instanceof TokenUnavailableException unavailable) ? unavailable
				: new TokenUnavailableException(TokenUnavailableException.Reason.UPSTREAM_FAILED,
						"no token could be had", Duration.ofSeconds(1));
		this.askAgainAt = this.clock.instant().plus(why.retryAfter());
		Unavailable next = new Unavailable(account(), why.reason().name().toLowerCase(Locale.ROOT), why.getMessage(),
				why.retryAfterSeconds());
		if (!next.sameOutage(this.unavailable)) {
			this.unavailable = next;
			SseEvent event = next.event(this.json);
			this.streams.removeIf((stream) -> !stream.send(event));
		}
	}

	private void announce(HeldToken held) {
		if (held == this.token) {
			return;
		}
		this.token = held;
		this.unavailable = null;
		SseEvent event = tokenEvent(held);
		this.streams.removeIf((stream) -> {
			boolean sent = stream.send(event);
			if (sent) {
				this.issued.accept(stream, held);
			}
			return !sent;
		});
	}

	private SseEvent tokenEvent(HeldToken held) {
		return new SseEvent("token", TokenTag.id(held), this.bodies.json(held));
	}

	/** Why the account serves no token, as a 503 says it. */
	record Unavailable(String account, String reason, String detail, long retryAfter) {

		boolean sameOutage(Unavailable other) {
			return other != null && other.reason.equals(this.reason) && other.detail.equals(this.detail);
		}

		SseEvent event(JsonMapper json) {
			return new SseEvent("unavailable", null, json.writeValueAsBytes(this));
		}

	}

}
