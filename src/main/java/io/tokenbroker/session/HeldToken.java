package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.tokenbroker.account.Secret;
import io.tokenbroker.tradovate.IssuedToken;

/**
 * The token the broker holds for one account. Each new token gets the next revision, so a
 * renewal can only replace the token it started from.
 *
 * @param account account id
 * @param accessToken token for REST and trading WebSockets
 * @param mdAccessToken token for the market-data WebSocket (kept from the login when a
 * renewal returns none)
 * @param expiresAt expiry on the broker's clock
 * @param lifetime how long Tradovate said the token lives
 * @param obtainedAt when the broker received it
 * @param userId Tradovate user id, or {@code null}
 * @param revision increases with each token of this account
 * @param fingerprint short hash of the access token, for logs
 */
public record HeldToken(String account, String accessToken, String mdAccessToken, Instant expiresAt, Duration lifetime,
		Instant obtainedAt, Long userId, long revision, String fingerprint) {

	/**
	 * The token from a login ({@code previous} is {@code null}) or a renewal, which keeps
	 * the previous market-data token and user id when Tradovate leaves them out.
	 */
	static HeldToken of(String account, IssuedToken issued, HeldToken previous, long revision, Instant now) {
		String mdAccessToken = (issued.mdAccessToken() != null || previous == null) ? issued.mdAccessToken()
				: previous.mdAccessToken();
		Long userId = (issued.userId() != null || previous == null) ? issued.userId() : previous.userId();
		return new HeldToken(account, issued.accessToken(), mdAccessToken, issued.expiresAt(), issued.lifetime(), now,
				userId, revision, Secret.fingerprint(issued.accessToken()));
	}

	/** Time left before the token expires; negative once expired. */
	public Duration remaining(Instant now) {
		return Duration.between(now, this.expiresAt);
	}

	/**
	 * Whether it is valid for at least {@code minValidity} more ({@code 0}: any time).
	 */
	boolean lastsFor(Duration minValidity, Instant now) {
		return minValidity.isZero() || remaining(now).compareTo(minValidity) >= 0;
	}

	/**
	 * The same, reading the clock only when {@code minValidity} asks for time: most
	 * requests for a token name none, and this is on every {@code GET /token}.
	 */
	boolean lastsFor(Duration minValidity, Clock clock) {
		return minValidity.isZero() || lastsFor(minValidity, clock.instant());
	}

	@Override
	public String toString() {
		return "HeldToken[account=" + this.account + ", fingerprint=" + this.fingerprint + ", expiresAt="
				+ this.expiresAt + ", revision=" + this.revision + "]";
	}

}
