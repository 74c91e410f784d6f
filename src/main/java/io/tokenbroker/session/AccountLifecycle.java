package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.event.Level;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.session.SessionAction.Refuse;
import io.tokenbroker.session.SessionAction.Serve;
import io.tokenbroker.session.SessionEvent.ActNow;
import io.tokenbroker.session.SessionEvent.Answered;
import io.tokenbroker.session.SessionEvent.BudgetRefused;
import io.tokenbroker.session.SessionEvent.CredentialsChanged;
import io.tokenbroker.session.SessionEvent.HolderFailed;
import io.tokenbroker.session.SessionEvent.Offered;
import io.tokenbroker.session.SessionEvent.Permitted;
import io.tokenbroker.session.SessionEvent.Reported;
import io.tokenbroker.session.SessionEvent.ReportedByPeer;
import io.tokenbroker.session.SessionEvent.Reread;
import io.tokenbroker.session.SessionEvent.StoreRead;
import io.tokenbroker.session.SessionEvent.Tick;
import io.tokenbroker.session.SessionEvent.TokenWanted;
import io.tokenbroker.session.SessionEvent.Written;
import io.tokenbroker.tradovate.LoginRequest;

/**
 * The decisions of one account's token lifecycle: {@link #decide} takes the model and an
 * event and returns the next model and the actions that follow, reading no clock, taking
 * no lock, calling nobody. Only the lease holder calls Tradovate, one call at a time,
 * which every caller that needs a token meanwhile shares; what callers and operators ask
 * is decided by {@link TokenRequests}, the calls by {@link TradovateCalls}, the store's
 * part by {@link RecordSync}; what Tradovate's answers mean is {@link AnswerPolicy}'s,
 * when to renew and how long to wait {@link RenewalPolicy}'s.
 */
final class AccountLifecycle {

	/** How soon to come back for a token whose renewal is under way. */
	private static final Duration OVERDUE_RENEWAL_HINT = Duration.ofSeconds(5);

	private final SessionRules rules;

	private final RecordSync sync;

	private final TradovateCalls calls;

	private final TokenRequests requests;

	AccountLifecycle(SessionRules rules) {
		this.rules = rules;
		this.sync = new RecordSync(rules);
		this.calls = new TradovateCalls(rules, this.sync);
		this.requests = new TokenRequests(rules, this.calls);
	}

	Decision decide(SessionModel model, SessionEvent event) {
		Decision d = new Decision(model, event.at(), this.rules);
		if (event instanceof Tick) {
			maintain(d);
		}
		else if (event instanceof TokenWanted wanted) {
			this.requests.tokenWanted(d, wanted.minValidity(), wanted.client());
		}
		else if (event instanceof Reported reported) {
			this.requests.reported(d, reported.token());
		}
		else if (event instanceof ReportedByPeer reported) {
			this.requests.reportedByPeer(d, reported.fingerprint());
		}
		else if (event instanceof ActNow) {
			this.requests.actNow(d);
		}
		else if (event instanceof CredentialsChanged) {
			credentialsChanged(d);
		}
		else if (event instanceof HolderFailed failed) {
			this.requests.holderFailed(d, failed.refusal());
		}
		else if (event instanceof StoreRead read) {
			this.sync.adopt(d, read.mark(), read.entry());
		}
		else if (event instanceof Permitted permitted) {
			this.calls.permitted(d, permitted.plan(), permitted.permit());
		}
		else if (event instanceof BudgetRefused refused) {
			this.calls.refused(d, refused.plan(), refused.allowance());
		}
		else if (event instanceof Answered answered) {
			this.calls.answered(d, answered.call(), answered.answer());
		}
		else if (event instanceof Written written) {
			committed(d, written.write().then(), this.sync.written(d, written));
		}
		else if (event instanceof Offered offered) {
			committed(d, offered.offer().then(), this.sync.offered(d, offered));
		}
		else if (event instanceof Reread reread) {
			committed(d, reread.read().then(), this.sync.reread(d, reread));
		}
		return d;
	}

	/**
	 * Called on every tick of the schedule: writes what the store missed, logs in when
	 * there is no token, renews when the renewal is due, checks the session when a check
	 * is due, and does nothing while a call is in flight, a wait runs, or another replica
	 * holds the lease.
	 */
	private void maintain(Decision d) {
		if (!d.lease().mine()) {
			return;
		}
		if (d.model().store().unsaved()) {
			this.sync.save(d, new AfterCommit.Maintain());
			return;
		}
		maintainCalls(d);
	}

	private void maintainCalls(Decision d) {
		SessionModel model = d.model();
		AccountRecord record = model.record();
		Instant now = d.now();
		if (model.calling() != null || !record.mayCallAt(now) || model.unreadable() != null) {
			return;
		}
		HeldToken held = d.held();
		if (held == null) {
			this.calls.startLogin(d, model.reasonToLogIn());
		}
		else if (record.renewAt() == null || !now.isBefore(record.renewAt())) {
			this.calls.startRenewal(d, held, 0);
		}
		else if (checkDue(model, held, now)) {
			this.calls.startCheck(d, held, LoginReason.REVOKED);
		}
		else if (record.token() != null && this.rules.form().sealedWithOldKey(record.token())) {
			d.log(Level.INFO, "sealing token {} anew with the active store key", held.fingerprint());
			this.sync.commit(d, record.resealed(this.rules.form().seal(held)), null);
		}
	}

	/** Whether the session should be checked open now. */
	private boolean checkDue(SessionModel model, HeldToken held, Instant now) {
		Duration interval = this.rules.timing().checkInterval();
		if (interval.isZero() || now.isBefore(model.checksResumeAt())) {
			return false;
		}
		Instant last = (model.record().checkedAt() != null) ? model.record().checkedAt() : held.obtainedAt();
		return !now.isBefore(last.plus(interval));
	}

	/**
	 * The credentials were replaced at run time, as a restart with new ones would do: a
	 * penalty ticket answering a login with other credentials is dropped (its wait
	 * stays), and a cool-down that the old credentials' refusal started ends, so that one
	 * login tries the new ones. The lease holder writes it; other replicas only drop what
	 * they hold.
	 */
	private void credentialsChanged(Decision d) {
		SessionModel model = d.model();
		AccountRecord record = model.record();
		AccountRecord next = record;
		Credentials credentials = this.rules.account().credentials();
		PendingTicket ticket = model.ticket();
		if (ticket != null && !ticket.answered().equals(LoginRequest.of(credentials))) {
			d.log(Level.INFO, "the penalty ticket answers a login with the replaced credentials: dropped; the next "
					+ "login still waits until {}", record.nextAttemptAt());
			d.update((current) -> current.withTicket(null));
			next = next.withTicket(null);
		}
		if (record.refusedCredentials() != null && !record.refusedCredentials().equals(credentials.fingerprint())) {
			d.log(Level.INFO, "the credentials changed since Tradovate refused them; the cool-down ends");
			next = next.waitEnded().withState(SessionState.STARTING);
		}
		else {
			d.log(Level.INFO, "the credentials changed; the next login sends them");
		}
		if (next == record) {
			return;
		}
		if (d.lease().mine()) {
			this.sync.commit(d, next, new AfterCommit.Maintain());
		}
		else {
			AccountRecord local = next;
			d.update((current) -> current.withRecord(local));
		}
	}

	/** The store answered all a commit asked: what was to follow, follows. */
	private void committed(Decision d, AfterCommit then, RecordSync.Commit commit) {
		if (then == null || commit == RecordSync.Commit.PENDING) {
			return;
		}
		if (then instanceof AfterCommit.Accept accept) {
			this.calls.accepted(d, accept, commit == RecordSync.Commit.WON);
		}
		else if (then instanceof AfterCommit.Refuse) {
			d.add(new Refuse(Refusals.waiting(d.record(), d.now())));
		}
		else if (then instanceof AfterCommit.LogIn login) {
			this.calls.startLogin(d, login.reason());
		}
		else if (then instanceof AfterCommit.ServeHeld serve) {
			HeldToken held = d.held();
			d.add(new Serve((held != null) ? held : serve.checked()));
		}
		else {
			maintainCalls(d);
		}
	}

	/**
	 * When the broker means to hold a newer token than {@code token}: its scheduled
	 * renewal (jitter included), or once that has passed (a renewal in flight or waiting
	 * for a retry), the next attempt; never in the past, never after the token stops
	 * being served. {@code null} when the broker knows no schedule for this token.
	 */
	Instant renewAt(AccountRecord record, HeldToken token, Instant now) {
		Instant at = record.renewAt();
		if (record.revision() != token.revision() || at == null) {
			return null;
		}
		if (!at.isAfter(now)) {
			Instant next = record.nextAttemptAt();
			at = (next != null && next.isAfter(now)) ? next
					: now.truncatedTo(ChronoUnit.SECONDS).plus(OVERDUE_RENEWAL_HINT);
		}
		Instant end = this.rules.policy().servedUntil(token);
		return at.isAfter(end) ? end : at;
	}

	/** The token this replica serves at {@code now}: its cache's, while it lasts. */
	static HeldToken held(SessionModel model, RenewalPolicy policy, Instant now) {
		HeldToken cached = model.cached();
		return (cached != null && policy.servedUntil(cached).isAfter(now)) ? cached : null;
	}

}
