package io.tokenbroker.tradovate;

import java.time.Duration;
import java.time.Instant;

import io.tokenbroker.account.Secret;

/**
 * A token Tradovate issued, with its expiry moved onto the broker's clock.
 *
 * @param accessToken token for REST and trading WebSockets
 * @param mdAccessToken token for the market-data WebSocket, or {@code null} when the
 * answer had none (renewals may leave it out)
 * @param expiresAt when the token expires, on the broker's clock
 * @param lifetime how long Tradovate said the token lives, measured on its own clock
 * @param userId Tradovate's user id, or {@code null} when not given
 * @param passwordExpiresAt when the user's password expires
 * ({@code passwordExpirationTime}, on Tradovate's clock), or {@code null} when not given
 * or not a time
 */
public record IssuedToken(String accessToken, String mdAccessToken, Instant expiresAt, Duration lifetime, Long userId,
		Instant passwordExpiresAt) {

	public IssuedToken(String accessToken, String mdAccessToken, Instant expiresAt, Duration lifetime, Long userId) {
		this(accessToken, mdAccessToken, expiresAt, lifetime, userId, null);
	}

	@Override
	public String toString() {
		return "IssuedToken[accessToken=" + Secret.fingerprint(this.accessToken) + ", expiresAt=" + this.expiresAt
				+ ", lifetime=" + this.lifetime + ", userId=" + this.userId + "]";
	}

}
