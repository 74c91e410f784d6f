package io.tokenbroker.session;

import java.time.Instant;

import io.tokenbroker.store.StoredEntry;

/**
 * Everything an account's session knows, as one value: the record the store keeps and
 * what this replica adds to it. {@link AccountLifecycle} makes the next one from it and
 * an event; nothing else changes it.
 *
 * @param record what the store keeps
 * @param cached the token in this replica's cache, or {@code null}; served only while it
 * is (see {@link AccountLifecycle#held})
 * @param store what this replica knows of the store
 * @param unreadable why the stored token cannot be opened, or {@code null}
 * @param calling the call in flight ({@link SessionState#LOGGING_IN},
 * {@link SessionState#RENEWING} or {@link SessionState#CHECKING}), or {@code null}
 * @param awaitedAfter while callers of a replica without the lease wait for the holder's
 * next token: the revision it must be newer than; else {@code null}
 * @param ticket a penalty ticket to resend with the next login, or {@code null}
 * @param renewalBudgetWarnedFor revision of the token for which a spent renewal budget
 * was logged, -1 for none
 * @param nextLoginReason why the next login happens, when something other than time made
 * the token go; else {@code null}
 * @param checksResumeAt no liveness check before this (a check that failed waits like a
 * failed call)
 * @param waitingForAllowance whether the last login waited for logins in flight to free
 * Tradovate's allowance
 * @param lastCheckAt when the last liveness check answered, whatever it found, or
 * {@code null}: a report soon after shares it instead of making another
 */
record SessionModel(AccountRecord record, HeldToken cached, StoreView store, String unreadable, SessionState calling,
		Long awaitedAfter, PendingTicket ticket, long renewalBudgetWarnedFor, LoginReason nextLoginReason,
		Instant checksResumeAt, boolean waitingForAllowance, Instant lastCheckAt) {

	/** Nothing known yet. */
	static final SessionModel NEW = new SessionModel(AccountRecord.NEW, null, StoreView.NONE, null, null, null, null,
			-1, null, Instant.MIN, false, null);

	SessionModel withRecord(AccountRecord record) {
		return new SessionModel(record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withCached(HeldToken cached) {
		return new SessionModel(this.record, cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withStore(StoreView store) {
		return new SessionModel(this.record, this.cached, store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withUnreadable(String unreadable) {
		return new SessionModel(this.record, this.cached, this.store, unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withCalling(SessionState calling) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withAwaitedAfter(Long awaitedAfter) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withTicket(PendingTicket ticket) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, this.lastCheckAt);
	}

	SessionModel withRenewalBudgetWarnedFor(long revision) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, revision, this.nextLoginReason, this.checksResumeAt, this.waitingForAllowance,
				this.lastCheckAt);
	}

	SessionModel withNextLoginReason(LoginReason reason) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, reason, this.checksResumeAt, this.waitingForAllowance,
				this.lastCheckAt);
	}

	SessionModel withChecksResumeAt(Instant at) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, at, this.waitingForAllowance,
				this.lastCheckAt);
	}

	SessionModel withWaitingForAllowance(boolean waiting) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt, waiting,
				this.lastCheckAt);
	}

	SessionModel withLastCheckAt(Instant lastCheckAt) {
		return new SessionModel(this.record, this.cached, this.store, this.unreadable, this.calling, this.awaitedAfter,
				this.ticket, this.renewalBudgetWarnedFor, this.nextLoginReason, this.checksResumeAt,
				this.waitingForAllowance, lastCheckAt);
	}

	/**
	 * Why a login started now happens: what made the token go, else its expiry (once a
	 * login succeeded) or the schedule.
	 */
	LoginReason reasonToLogIn() {
		if (this.nextLoginReason != null) {
			return this.nextLoginReason;
		}
		return (this.record.lastSuccessAt() != null) ? LoginReason.EXPIRED : LoginReason.SCHEDULED;
	}

	/**
	 * What an operator may see.
	 * @param held the token served now, or {@code null}
	 */
	SessionSnapshot snapshot(String account, HeldToken held, String leaseHolder) {
		Failure failure = this.record.failure();
		return new SessionSnapshot(account, (this.calling != null) ? this.calling : this.record.state(),
				(held != null) ? held.fingerprint() : null, (held != null) ? held.expiresAt() : null,
				(held != null) ? this.record.renewAt() : null, this.record.nextAttemptAt(), this.record.lastSuccessAt(),
				(failure != null) ? failure.detail() : null, (failure != null) ? failure.at() : null,
				this.record.failures(), leaseHolder,
				(this.record.token() != null) ? this.record.token().secrets().keyId() : null, this.unreadable,
				this.record.checkedAt(), (this.record.loginReason() != null) ? this.record.loginReason().tag() : null);
	}

	/**
	 * What this replica knows of the store.
	 *
	 * @param revision revision of the record in the store, as far as this replica knows
	 * @param content the record's text as last read from or written to the store, or
	 * {@code null}
	 * @param unsaved the record changed while the store was unreachable: written once it
	 * answers
	 * @param changes counts the changes to this replica's record and to what it knows the
	 * store holds: a read of the store taken before one of them may answer with what it
	 * replaced
	 */
	record StoreView(long revision, String content, boolean unsaved, long changes) {

		static final StoreView NONE = new StoreView(0, null, false, 0);

		/** The store holds this entry, as read or written. */
		StoreView stored(StoredEntry entry) {
			return new StoreView(entry.revision(), entry.content(), this.unsaved, this.changes + 1);
		}

		StoreView changed() {
			return new StoreView(this.revision, this.content, this.unsaved, this.changes + 1);
		}

		StoreView withUnsaved(boolean unsaved) {
			return new StoreView(this.revision, this.content, unsaved, this.changes);
		}

		/** The store refused this replica's record: what it holds is unknown. */
		StoreView unknown() {
			return new StoreView(this.revision, null, this.unsaved, this.changes);
		}

		/** The store holds no record. */
		StoreView empty() {
			return new StoreView(0, this.content, this.unsaved, this.changes);
		}

	}

}
