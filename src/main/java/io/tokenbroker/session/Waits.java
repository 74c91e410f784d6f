package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.event.Level;

import io.tokenbroker.session.AnswerPolicy.Verdict;
import io.tokenbroker.session.SessionAction.WaitImposed;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.tradovate.LoginRequest;

/**
 * What a failed call makes an account wait, written to its record: a penalty wait (with
 * the ticket to resend), a cool-down, or a back-off that keeps serving the held token;
 * callers waiting for the call hear why.
 */
final class Waits {

	private final SessionRules rules;

	private final RecordSync sync;

	Waits(SessionRules rules, RecordSync sync) {
		this.rules = rules;
		this.sync = sync;
	}

	void penalized(Decision d, Verdict.PenaltyWait penalty, LoginRequest request) {
		Instant now = d.now();
		Instant until = now.plus(penalty.penalty().waitFor());
		AccountRecord record = d.record();
		AccountRecord next = record.failed(SessionState.PENALIZED, new Failure(Reason.PENALIZED, penalty.detail(), now),
				until, record.failures());
		if (penalty.keepTicket() && penalty.penalty().ticket() != null) {
			PendingTicket ticket = new PendingTicket(request, penalty.penalty().ticket());
			d.update((model) -> model.withTicket(ticket));
			next = next.withTicket(this.rules.form().seal(ticket));
		}
		d.add(new WaitImposed(SessionState.PENALIZED));
		d.log(Level.WARN, "{}, at {}", penalty.detail(), until);
		this.sync.commit(d, next, new AfterCommit.Refuse());
	}

	/**
	 * @param request the login refused, or {@code null} for another call
	 */
	void coolDown(Decision d, SessionState cooling, Reason reason, String detail, LoginRequest request) {
		Instant now = d.now();
		String current = this.rules.account().credentials().fingerprint();
		if (cooling == SessionState.REJECTED && request != null && !request.credentialsFingerprint().equals(current)) {
			// refused credentials replaced while the login was in flight: the new ones
			// get their login, after the usual back-off
			backOff(d, detail + "; those credentials were replaced meanwhile", now);
			return;
		}
		d.add(new WaitImposed(cooling));
		d.update((model) -> model.withTicket(null));
		Instant until = now.plus(this.rules.policy().coolDown());
		AccountRecord record = d.record();
		AccountRecord next = record.failed(cooling, new Failure(reason, detail, now), until, record.failures() + 1)
			.withTicket(null);
		if (cooling == SessionState.REJECTED) {
			// new credentials end this cool-down: the store keeps only their fingerprint
			next = next.withRefusedCredentials(current);
		}
		d.log(Level.ERROR, "{}; no call to Tradovate for this account until {}", detail, until);
		this.sync.commit(d, next, new AfterCommit.Refuse());
	}

	/**
	 * @param notBefore the next attempt comes no earlier than this
	 */
	void backOff(Decision d, String detail, Instant notBefore) {
		Instant now = d.now();
		int failures = d.record().failures() + 1;
		HeldToken held = d.held();
		// while a token is served, a renewal is retried before it stops being served
		Duration retry = this.rules.policy().retryAfter(failures, held, now);
		Duration wait = now.plus(retry).isBefore(notBefore) ? Duration.between(now, notBefore) : retry;
		d.log(Level.WARN, "{}; failure {} in a row, next attempt in {} ms{}", detail, failures, wait.toMillis(),
				(held != null)
						? "; token " + held.fingerprint() + " is still served until it expires at " + held.expiresAt()
						: "");
		this.sync.commit(d,
				d.record()
					.failed(SessionState.BACKING_OFF, new Failure(Reason.UPSTREAM_FAILED, detail, now), now.plus(wait),
							failures),
				new AfterCommit.Refuse());
	}

}
