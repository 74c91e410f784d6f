package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;

import io.tokenbroker.store.Sealed;

/**
 * One account's lifecycle as the store keeps it, so that it outlives the process and is
 * shared by a fleet: the token (sealed), when to renew it, and every wait Tradovate
 * imposed. Never a secret in clear.
 *
 * @param revision revision of the latest token; only grows
 * @param token the token served, or {@code null} (none, or not kept without a key)
 * @param renewAt when its scheduled renewal starts, or {@code null}
 * @param state where the lifecycle stands
 * @param nextAttemptAt earliest next call to Tradovate, or {@code null}
 * @param failure the last failure, or {@code null}
 * @param failures failures since the last success
 * @param lastSuccessAt last successful login or renewal, or {@code null}
 * @param ticket a penalty ticket to resend with the next login, or {@code null}
 * @param refusedCredentials fingerprint of the credentials Tradovate refused, while their
 * cool-down runs: new credentials end it
 * @param forcedRenewalAt when a caller last forced a renewal, or {@code null}
 * @param checkedAt when Tradovate last confirmed the session open (a renewal or a
 * liveness check), or {@code null}
 * @param loginReason why the latest login happened, or {@code null}
 */
record AccountRecord(long revision, StoredToken token, Instant renewAt, SessionState state, Instant nextAttemptAt,
		Failure failure, int failures, Instant lastSuccessAt, StoredTicket ticket, String refusedCredentials,
		Instant forcedRenewalAt, Instant checkedAt, LoginReason loginReason) {

	/** Nothing known yet. */
	static final AccountRecord NEW = new AccountRecord(0, null, null, SessionState.STARTING, null, null, 0, null, null,
			null, null, null, null);

	/** A new token: the waits end, the failure count starts again. */
	AccountRecord granted(long revision, StoredToken token, Instant renewAt, Instant now, LoginReason reason) {
		return new AccountRecord(revision, token, renewAt, SessionState.VALID, null, this.failure, 0, now, null, null,
				this.forcedRenewalAt, now, (reason != null) ? reason : this.loginReason);
	}

	/** The token is no longer accepted: none is held. */
	AccountRecord withoutToken(SessionState state) {
		return new AccountRecord(this.revision, null, null, state, this.nextAttemptAt, this.failure, this.failures,
				this.lastSuccessAt, this.ticket, this.refusedCredentials, this.forcedRenewalAt, this.checkedAt,
				this.loginReason);
	}

	/** A failure that makes the account wait until {@code until}. */
	AccountRecord failed(SessionState state, Failure failure, Instant until, int failures) {
		return new AccountRecord(this.revision, this.token, this.renewAt, state, until, failure, failures,
				this.lastSuccessAt, this.ticket, null, this.forcedRenewalAt, this.checkedAt, this.loginReason);
	}

	AccountRecord withTicket(StoredTicket ticket) {
		return new AccountRecord(this.revision, this.token, this.renewAt, this.state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, ticket, this.refusedCredentials, this.forcedRenewalAt,
				this.checkedAt, this.loginReason);
	}

	AccountRecord withRefusedCredentials(String fingerprint) {
		return new AccountRecord(this.revision, this.token, this.renewAt, this.state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, this.ticket, fingerprint, this.forcedRenewalAt, this.checkedAt,
				this.loginReason);
	}

	AccountRecord withState(SessionState state) {
		return new AccountRecord(this.revision, this.token, this.renewAt, state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, this.ticket, this.refusedCredentials, this.forcedRenewalAt,
				this.checkedAt, this.loginReason);
	}

	/** An operator (or new credentials) ended the wait. */
	AccountRecord waitEnded() {
		return new AccountRecord(this.revision, this.token, this.renewAt, this.state, null, this.failure, this.failures,
				this.lastSuccessAt, this.ticket, null, this.forcedRenewalAt, this.checkedAt, this.loginReason);
	}

	/** The same token sealed anew (say with a new active key). */
	AccountRecord resealed(StoredToken token) {
		return new AccountRecord(this.revision, token, this.renewAt, this.state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, this.ticket, this.refusedCredentials, this.forcedRenewalAt,
				this.checkedAt, this.loginReason);
	}

	AccountRecord withForcedRenewalAt(Instant at) {
		return new AccountRecord(this.revision, this.token, this.renewAt, this.state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, this.ticket, this.refusedCredentials, at, this.checkedAt,
				this.loginReason);
	}

	AccountRecord withCheckedAt(Instant at) {
		return new AccountRecord(this.revision, this.token, this.renewAt, this.state, this.nextAttemptAt, this.failure,
				this.failures, this.lastSuccessAt, this.ticket, this.refusedCredentials, this.forcedRenewalAt, at,
				this.loginReason);
	}

	/** Whether Tradovate may be called at {@code now}. */
	boolean mayCallAt(Instant now) {
		return this.nextAttemptAt == null || !now.isBefore(this.nextAttemptAt);
	}

	/**
	 * A token as kept in the store: its secrets sealed, the rest in clear for operators.
	 *
	 * @param secrets the access and market-data tokens, sealed
	 * @param expiresAt expiry on the broker's clock
	 * @param lifetime how long Tradovate said it lives
	 * @param obtainedAt when the broker received it
	 * @param userId Tradovate user id, or {@code null}
	 * @param fingerprint short hash of the access token, as logs print it
	 */
	record StoredToken(Sealed secrets, Instant expiresAt, Duration lifetime, Instant obtainedAt, Long userId,
			String fingerprint) {
	}

	/**
	 * A penalty ticket as kept in the store.
	 *
	 * @param ticket the ticket, sealed with a key derived from the credentials
	 * @param credentials fingerprint of the credentials of the login it answers
	 */
	record StoredTicket(Sealed ticket, String credentials) {
	}

}
