package io.tokenbroker.session;

import java.time.Instant;

/**
 * What an operator may see of one account's lifecycle: never a token or a secret.
 *
 * @param account account id
 * @param state where the lifecycle stands
 * @param tokenFingerprint short hash of the token held, or {@code null}
 * @param expiresAt expiry of the token held, or {@code null}
 * @param renewAt when the scheduled renewal starts, or {@code null}
 * @param nextAttemptAt earliest next call to Tradovate after a failure, or {@code null}
 * @param lastSuccessAt last successful login or renewal, or {@code null}
 * @param lastError last failure, or {@code null}
 * @param lastErrorAt when it happened, or {@code null}
 * @param consecutiveFailures failures since the last success
 */
public record SessionSnapshot(String account, SessionState state, String tokenFingerprint, Instant expiresAt,
		Instant renewAt, Instant nextAttemptAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt,
		int consecutiveFailures) {

}
