package io.tokenbroker.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.tokenbroker.session.HeldToken;

/**
 * The JSON body of {@code GET /token}.
 *
 * @param account account id
 * @param accessToken token for REST calls and trading WebSockets
 * @param mdAccessToken token for the market-data WebSocket, or {@code null} when
 * Tradovate gave none
 * @param expirationTime expiry on the broker's clock (corrected for Tradovate's clock)
 * @param expiresIn whole seconds left, independent of any clock
 * @param userId Tradovate user id, or {@code null}
 * @param renewAt when the broker will have a newer token (its scheduled renewal, jitter
 * included): callers that keep the token come back then; {@code null} when unknown
 */
record TokenResponse(String account, String accessToken, String mdAccessToken, Instant expirationTime, long expiresIn,
		Long userId, Instant renewAt) {

	static TokenResponse of(HeldToken token, long expiresIn, Instant renewAt) {
		return new TokenResponse(token.account(), token.accessToken(), token.mdAccessToken(),
				token.expiresAt().truncatedTo(ChronoUnit.MILLIS), expiresIn, token.userId(),
				(renewAt != null) ? renewAt.truncatedTo(ChronoUnit.MILLIS) : null);
	}

	/** Whole seconds the token has left at {@code now}, never negative. */
	static long expiresIn(HeldToken token, Instant now) {
		return Math.max(0, token.remaining(now).toSeconds());
	}

	@Override
	public String toString() {
		return "TokenResponse[account=" + this.account + ", accessToken=***, mdAccessToken=***, expirationTime="
				+ this.expirationTime + ", renewAt=" + this.renewAt + "]";
	}

}
