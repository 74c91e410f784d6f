package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's tokens, one per account, in a Caffeine cache whose entries expire with
 * the tokens (less a safety margin) on the broker's clock: the cache never returns a
 * token that is no longer safe to hand out. The hot path reads only this; the state store
 * is written behind it.
 */
public class TokenCache {

	private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

	private final Cache<String, HeldToken> tokens;

	private volatile Consumer<String> changes = (account) -> {
	};

	public TokenCache(Clock clock, Duration expiryMargin) {
		this.tokens = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(new TokenExpiry(clock, expiryMargin))
			.build();
	}

	/** The token for an account, or {@code null} when there is none safe to serve. */
	public HeldToken get(String account) {
		return this.tokens.getIfPresent(account);
	}

	/**
	 * Tells {@code listener} the id of each account whose token was stored or dropped
	 * (not of those whose token merely expired). Called under the account's lock: it must
	 * only hand the news on.
	 */
	public void onChange(Consumer<String> listener) {
		this.changes = listener;
	}

	/** Stores a token from a login, replacing whatever the account had. */
	void put(HeldToken token) {
		this.tokens.put(token.account(), token);
		tell(token.account());
	}

	/**
	 * Stores a renewed token only if the account still holds the revision the renewal
	 * started from (or has none left): a late renewal never overwrites a newer token.
	 */
	boolean replace(HeldToken renewedFrom, HeldToken next) {
		HeldToken stored = this.tokens.asMap()
			.compute(next.account(), (account,
					current) -> (current == null || current.revision() == renewedFrom.revision()) ? next : current);
		if (stored == next) {
			tell(next.account());
		}
		return stored == next;
	}

	/**
	 * Drops a token Tradovate no longer accepts, unless a newer one replaced it already.
	 */
	void invalidate(HeldToken token) {
		if (this.tokens.asMap().remove(token.account(), token)) {
			tell(token.account());
		}
	}

	// A listener's failure never undoes or hides the token just stored.
	private void tell(String account) {
		try {
			this.changes.accept(account);
		}
		catch (RuntimeException ex) {
			log.warn("Account {}: a listener of token changes failed: {}", account, ex.toString());
		}
	}

	/**
	 * Drops every token without telling the listener, as a cache just created: for tests
	 * that keep one broker across tests.
	 */
	void reset() {
		this.tokens.invalidateAll();
	}

	/** Drops whatever token the account has. */
	void remove(String account) {
		this.tokens.invalidate(account);
		tell(account);
	}

	private record TokenExpiry(Clock clock, Duration margin) implements Expiry<String, HeldToken> {

		@Override
		public long expireAfterCreate(String account, HeldToken token, long currentTime) {
			Duration servable = Duration.between(this.clock.instant(), token.expiresAt().minus(this.margin));
			return Math.max(0, servable.toNanos());
		}

		@Override
		public long expireAfterUpdate(String account, HeldToken token, long currentTime, long currentDuration) {
			return expireAfterCreate(account, token, currentTime);
		}

		@Override
		public long expireAfterRead(String account, HeldToken token, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
