package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.event.Level;

import io.tokenbroker.session.AnswerPolicy.Verdict;
import io.tokenbroker.session.SessionAction.Call;
import io.tokenbroker.session.SessionAction.DropToken;
import io.tokenbroker.session.SessionAction.JoinCall;
import io.tokenbroker.session.SessionAction.LoginStarted;
import io.tokenbroker.session.SessionAction.Refuse;
import io.tokenbroker.session.SessionAction.Serve;
import io.tokenbroker.session.SessionAction.SessionChecked;
import io.tokenbroker.session.SessionAction.Settle;
import io.tokenbroker.session.SessionAction.Spend;
import io.tokenbroker.session.SessionAction.TokenRevoked;
import io.tokenbroker.session.SessionAction.WakeSchedule;
import io.tokenbroker.session.SessionEvent.Allowance;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;

/**
 * The calls to Tradovate: when one may go (the account's waits, the lease, Tradovate's
 * hourly allowances), and what its answer leads to, as {@link AnswerPolicy} reads it: a
 * new token, a new login, a penalty wait, a cool-down or a back-off.
 */
final class TradovateCalls {

	private final SessionRules rules;

	private final RecordSync sync;

	private final Waits waits;

	TradovateCalls(SessionRules rules, RecordSync sync) {
		this.rules = rules;
		this.sync = sync;
		this.waits = new Waits(rules, sync);
	}

	void startLogin(Decision d, LoginReason reason) {
		if (!d.record().mayCallAt(d.now())) {
			refuseWhileWaiting(d);
		}
		else if (!d.lease().confirmed()) {
			d.add(new Refuse(Refusals.noLeaseToLogIn()));
		}
		else {
			// counted while in flight: the logins in flight can never fail beyond the
			// limit
			d.add(new Spend(new CallPlan.Login(reason), d.now().plus(this.rules.timing().answerWithin())));
		}
	}

	/**
	 * A renewal a caller asks for: never with the renewals kept for the schedule, at most
	 * one per account in {@code broker.renewal.forced-interval}, and within the client's
	 * and the account's hourly shares (counted when it is spent), so that no caller can
	 * spend what other accounts, operators and the schedule need.
	 * @param client who forces it, or {@code null} when it names none
	 */
	void startForcedRenewal(Decision d, HeldToken held, String client) {
		Instant last = d.record().forcedRenewalAt();
		Instant allowedAt = (last != null) ? last.plus(this.rules.timing().forcedRenewalInterval()) : Instant.MIN;
		if (d.now().isBefore(allowedAt)) {
			d.add(new Refuse(Refusals.forcedTooSoon(last, allowedAt, d.now())));
			return;
		}
		startRenewal(d, new CallPlan.Renewal(held, this.rules.reservedForSchedule(), true, client));
	}

	void startRenewal(Decision d, HeldToken held, int reserve) {
		startRenewal(d, new CallPlan.Renewal(held, reserve, false));
	}

	private void startRenewal(Decision d, CallPlan.Renewal renewal) {
		if (!d.record().mayCallAt(d.now())) {
			refuseWhileWaiting(d);
			return;
		}
		d.add(new Spend(renewal, null));
	}

	/**
	 * Asks Tradovate ({@code /auth/me}) whether the token's session is still open, within
	 * its allowance of failed checks; a closed session is replaced by one login.
	 */
	void startCheck(Decision d, HeldToken held, LoginReason ifClosed) {
		startCheck(d, new CallPlan.Check(held, ifClosed));
	}

	private void startCheck(Decision d, CallPlan.Check check) {
		d.add(new Spend(check, d.now().plus(this.rules.timing().answerWithin())));
	}

	/** The allowance counted the call: it goes. */
	void permitted(Decision d, CallPlan plan, HourlyLedger.Permit permit) {
		LoginRequest request = null;
		if (plan instanceof CallPlan.Login login) {
			PendingTicket ticket = d.model().ticket();
			request = (ticket != null) ? ticket.resend() : LoginRequest.of(this.rules.account().credentials());
			d.update((model) -> model.withWaitingForAllowance(false));
			d.log(Level.INFO, "logging in to {} ({}){}", this.rules.account().baseUrl(), login.reason().tag(),
					(ticket != null) ? " with the penalty ticket" : "");
			d.add(new LoginStarted(login.reason()));
			if (ticket != null) {
				// a ticket is used once: forgotten before it is sent, so a crash cannot
				// resend it
				d.update((model) -> model.withTicket(null));
				this.sync.commit(d, d.record().withTicket(null), null);
			}
		}
		else if (plan instanceof CallPlan.Renewal renewal) {
			d.log(Level.DEBUG, "renewing token {} (expires at {})", renewal.held().fingerprint(),
					renewal.held().expiresAt());
			if (renewal.forced()) {
				this.sync.commit(d, d.record().withForcedRenewalAt(d.now()), null);
			}
		}
		else {
			d.log(Level.DEBUG, "checking that the session of token {} is open",
					((CallPlan.Check) plan).held().fingerprint());
		}
		d.update((model) -> model.withCalling(plan.state()));
		d.add(new JoinCall());
		d.add(new Call(plan, permit, request));
	}

	/** The allowance has no place for the call. */
	void refused(Decision d, CallPlan plan, Allowance allowance) {
		Instant now = d.now();
		Duration wait = Duration.between(now, allowance.nextFreeAt());
		if (plan instanceof CallPlan.Login) {
			loginRefused(d, allowance);
		}
		else if (plan instanceof CallPlan.Renewal renewal && allowance.share() != Allowance.Share.TRADOVATE) {
			d.add(new Refuse(Refusals.forcedShareSpent(allowance, renewal.client(), now)));
		}
		else if (plan instanceof CallPlan.Renewal renewal) {
			HeldToken held = renewal.held();
			String detail = Refusals.renewalsSpent(allowance.used(), renewal.reserve(), allowance.limit());
			if (d.model().renewalBudgetWarnedFor() != held.revision() && renewal.reserve() == 0) {
				d.update((model) -> model.withRenewalBudgetWarnedFor(held.revision()));
				d.log(Level.WARN, "{}; token {} is served until it expires at {}, then the broker logs in again",
						detail, held.fingerprint(), held.expiresAt());
			}
			d.add(new Refuse(Refusals.noRenewalBefore(detail, allowance.nextFreeAt(), now)));
		}
		else {
			d.update((model) -> model.withChecksResumeAt(allowance.nextFreeAt()));
			d.add(new SessionChecked("skipped"));
			d.log(Level.WARN, "Tradovate's allowance of {} failed session checks an hour is spent; the next check is "
					+ "possible at {}", allowance.limit(), allowance.nextFreeAt());
			String renewalRefused = ((CallPlan.Check) plan).renewalRefused();
			if (renewalRefused != null) {
				// nothing tells whether the session is gone: the renewal is retried
				this.waits.backOff(d, renewalRefused, now);
			}
			else {
				d.add(new Refuse(Refusals.checksSpent(allowance.used(), allowance.limit(), wait)));
			}
		}
	}

	/**
	 * Tradovate's allowance of failed logins leaves no place. When logins still in flight
	 * hold it, this one follows as soon as they answer (the schedule is woken); only
	 * logins that failed make the account wait until the hour frees a place.
	 */
	private void loginRefused(Decision d, Allowance allowance) {
		Instant nextFree = allowance.nextFreeAt();
		if (allowance.pending() > 0) {
			d.update((model) -> model.withWaitingForAllowance(true));
			d.add(new Refuse(Refusals.loginsInFlight(allowance.pending(), allowance.limit(),
					Duration.between(d.now(), nextFree))));
			return;
		}
		Failure failure = new Failure(Reason.BUDGET_EXHAUSTED,
				Refusals.failedLoginsSpent(allowance.used(), allowance.limit()), d.now());
		// once per wait: until nextFree, no login is tried and this is not reached again
		d.log(Level.WARN, "{}; no login before {}, and no token is served until then", failure.detail(),
				nextFree.truncatedTo(ChronoUnit.SECONDS));
		AccountRecord record = d.record();
		this.sync.commit(d, record.failed(record.state(), failure, nextFree, record.failures()),
				new AfterCommit.Refuse());
	}

	/** Tradovate answered a call: what the answer means, acted on. */
	void answered(Decision d, Call call, TradovateAnswer answer) {
		d.update((model) -> model.withCalling(null));
		CallPlan plan = call.plan();
		Operation operation = plan.operation();
		AnswerPolicy answers = this.rules.answers();
		boolean counts = answers.counts(operation, answer);
		if (operation != Operation.RENEW || !counts) {
			// Tradovate counts failed logins and checks only, and every renewal, that it
			// received: a call that never reached it is given back
			d.add(new Settle(operation, call.permit(), counts));
		}
		if (operation == Operation.LOGIN) {
			// others waiting for the place go now
			d.add(new WakeSchedule());
		}
		Verdict verdict = answers.judge(operation, answer);
		if (plan instanceof CallPlan.Check check) {
			checked(d, check, verdict);
		}
		else if (verdict instanceof Verdict.Accept accepted && plan instanceof CallPlan.Renewal renewal) {
			accept(d, accepted.token(), renewal.held(), null);
		}
		else if (verdict instanceof Verdict.Accept accepted) {
			d.update((model) -> model.withNextLoginReason(null));
			accept(d, accepted.token(), null, ((CallPlan.Login) plan).reason());
		}
		else if (verdict instanceof Verdict.SessionClosed) {
			HeldToken renewed = ((CallPlan.Renewal) plan).held();
			d.log(Level.WARN, "Tradovate no longer accepts token {} (HTTP 401 on renewal); logging in again",
					renewed.fingerprint());
			sessionGone(d, renewed, LoginReason.REVOKED, RevocationCause.RENEWAL);
		}
		else if (verdict instanceof Verdict.CheckSession refused) {
			HeldToken renewed = ((CallPlan.Renewal) plan).held();
			d.log(Level.WARN, "{}; checking whether the session of token {} is still open", refused.detail(),
					renewed.fingerprint());
			startCheck(d, new CallPlan.Check(renewed, LoginReason.REVOKED, refused.detail()));
		}
		else if (verdict instanceof Verdict.PenaltyWait penalty) {
			this.waits.penalized(d, penalty, call.request());
		}
		else if (verdict instanceof Verdict.CoolDown coolDown) {
			this.waits.coolDown(d, coolDown.state(), coolDown.reason(), coolDown.detail(), call.request());
		}
		else {
			this.waits.backOff(d, ((Verdict.BackOff) verdict).detail(), d.now());
		}
	}

	private void checked(Decision d, CallPlan.Check check, Verdict verdict) {
		HeldToken checked = check.held();
		Instant now = d.now();
		// reports soon after share this check, whatever it found
		d.update((model) -> model.withLastCheckAt(now));
		if (verdict instanceof Verdict.SessionOpen) {
			d.add(new SessionChecked("open"));
			if (check.renewalRefused() != null) {
				// the session is open: the renewal failed, and is retried
				d.update((model) -> model.withRecord(model.record().withCheckedAt(now)));
				this.waits.backOff(d, check.renewalRefused(), now);
			}
			else {
				this.sync.commit(d, d.record().withCheckedAt(now), new AfterCommit.ServeHeld(checked));
			}
		}
		else if (verdict instanceof Verdict.SessionClosed) {
			d.add(new SessionChecked("closed"));
			d.log(Level.WARN,
					"Tradovate no longer accepts token {} on /auth/me: its session is closed (the user logged "
							+ "in elsewhere, the password changed, or callers went past a WebSocket limit); logging in again",
					checked.fingerprint());
			sessionGone(d, checked, check.ifClosed(), check.cause());
		}
		else {
			Verdict.CheckInconclusive inconclusive = (Verdict.CheckInconclusive) verdict;
			d.add(new SessionChecked("failed"));
			Duration wait = (inconclusive.penaltyWait() != null) ? inconclusive.penaltyWait()
					: this.rules.policy().backOff(1);
			d.update((model) -> model.withChecksResumeAt(now.plus(wait)));
			d.log(Level.WARN,
					"the session check got no answer to go by ({}); token {} is still served, next check " + "at {}",
					inconclusive.why(), checked.fingerprint(), now.plus(wait));
			if (check.renewalRefused() != null) {
				this.waits.backOff(d, check.renewalRefused(), now);
			}
			else {
				d.add(new Serve(checked));
			}
		}
	}

	/** Tradovate no longer accepts the token: it is dropped, and one login follows. */
	private void sessionGone(Decision d, HeldToken token, LoginReason reason, RevocationCause cause) {
		d.add(new TokenRevoked(cause));
		d.add(new DropToken(token));
		d.update((model) -> model.withCached(token.equals(model.cached()) ? null : model.cached())
			.withNextLoginReason(reason));
		this.sync.commit(d, d.record().withoutToken(SessionState.STARTING), new AfterCommit.LogIn(reason));
	}

	private void accept(Decision d, IssuedToken issued, HeldToken renewed, LoginReason reason) {
		Instant now = d.now();
		// revisions only grow, even past a record this replica could not read
		long revision = Math.max(d.record().revision(), d.model().store().revision()) + 1;
		HeldToken token = HeldToken.of(this.rules.id(), issued, renewed, revision, now);
		RenewalPolicy policy = this.rules.policy();
		if (!policy.servedUntil(token).isAfter(now)) {
			// never served: the next login waits at least for this token to expire, so
			// short tokens never open more than one session per lifetime
			this.waits.backOff(d, Refusals.tooShortToServe(token), now.plus(token.lifetime()));
			return;
		}
		Instant renewAt = policy.renewAt(token);
		this.sync.commit(d, d.record().granted(revision, this.rules.form().seal(token), renewAt, now, reason),
				new AfterCommit.Accept(token, renewed, renewAt));
	}

	/** The record of a new token is written, or another replica's record won. */
	void accepted(Decision d, AfterCommit.Accept accept, boolean won) {
		HeldToken token = accept.token();
		HeldToken renewed = accept.renewed();
		if (!won) {
			d.log(Level.WARN, "token {} is discarded: another replica took the account's lease while the call was in "
					+ "flight, and its record wins", token.fingerprint());
			HeldToken current = d.held();
			d.add((current != null) ? new Serve(current) : new Refuse(Refusals.takenOver()));
			return;
		}
		RecordSync.put(d, token);
		d.log(Level.INFO, "{}; token {} valid until {} (lifetime {} s), renewal at {}",
				(renewed == null) ? "logged in, new session" : "renewed " + renewed.fingerprint() + ", same session",
				token.fingerprint(), token.expiresAt(), token.lifetime().toSeconds(), accept.renewAt());
		if (!this.rules.form().keepsTokens() && renewed == null) {
			d.log(Level.DEBUG, "no store key, so token {} is not kept beyond this process", token.fingerprint());
		}
		d.add(new Serve(token));
	}

	private void refuseWhileWaiting(Decision d) {
		d.add(new Refuse(Refusals.waiting(d.record(), d.now())));
	}

}
