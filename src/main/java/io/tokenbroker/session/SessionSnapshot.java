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
 * @param leaseHolder the replica that calls Tradovate for the account, or {@code null}
 * when none holds the lease
 * @param sealedWith id of the store key that sealed the stored token, or {@code null}
 * @param storeProblem why the stored token cannot be used, or {@code null}
 * @param sessionCheckedAt when Tradovate last confirmed the session open (a renewal or a
 * liveness check), or {@code null}
 * @param lastLoginReason why the latest login happened ({@code scheduled},
 * {@code expired}, {@code revoked}, {@code reported}, {@code operator}), or {@code null}
 */
public record SessionSnapshot(String account, SessionState state, String tokenFingerprint, Instant expiresAt,
		Instant renewAt, Instant nextAttemptAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt,
		int consecutiveFailures, String leaseHolder, String sealedWith, String storeProblem, Instant sessionCheckedAt,
		String lastLoginReason) {

}
