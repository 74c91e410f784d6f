package io.tokenbroker.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.event.Level;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.session.SessionAction.ActAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskHolder;
import io.tokenbroker.session.SessionAction.AwaitHolder;
import io.tokenbroker.session.SessionAction.FailAwaited;
import io.tokenbroker.session.SessionAction.JoinCall;
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
 * which every caller that needs a token meanwhile shares; what Tradovate's answers mean
 * is {@link AnswerPolicy}'s, when to renew and how long to wait {@link RenewalPolicy}'s.
 */
final class AccountLifecycle {

	/** How soon to come back for a token whose renewal is under way. */
	private static final Duration OVERDUE_RENEWAL_HINT = Duration.ofSeconds(5);

	/** What a renewed token lacks of its lifetime when it is served, at most. */
	private static final Duration RENEWAL_SLACK = Duration.ofSeconds(2);

	private final SessionRules rules;

	private final RecordSync sync;

	private final TradovateCalls calls;

	AccountLifecycle(SessionRules rules) {
		this.rules = rules;
		this.sync = new RecordSync(rules);
		this.calls = new TradovateCalls(rules, this.sync);
	}

	Decision decide(SessionModel model, SessionEvent event) {
		Decision d = new Decision(model, event.at(), this.rules);
		if (event instanceof Tick) {
			maintain(d);
		}
		else if (event instanceof TokenWanted wanted) {
			tokenWanted(d, wanted.minValidity(), wanted.client());
		}
		else if (event instanceof Reported reported) {
			HeldToken held = d.held();
			if (held != null && sameToken(held.accessToken(), reported.token())) {
				checkReported(d, held);
			}
			else if (held != null) {
				d.add(new Serve(held));
			}
			else {
				tokenWanted(d, Duration.ZERO, null);
			}
		}
		else if (event instanceof ReportedByPeer reported) {
			HeldToken held = d.held();
			if (held != null && held.fingerprint().equals(reported.fingerprint())) {
				checkReported(d, held);
			}
			else {
				tokenWanted(d, Duration.ZERO, null);
			}
		}
		else if (event instanceof ActNow) {
			actNow(d);
		}
		else if (event instanceof CredentialsChanged) {
			credentialsChanged(d);
		}
		else if (event instanceof HolderFailed failed) {
			if (d.model().awaitedAfter() != null) {
				d.add(new FailAwaited(failed.refusal()));
				d.update((next) -> next.withAwaitedAfter(null));
			}
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
			this.calls.startLogin(d, loginReason(model));
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
	 * The current token if it is valid long enough, else the shared result of the login
	 * or renewal that fetches a better one; a renewal the client forces comes from its
	 * share.
	 */
	private void tokenWanted(Decision d, Duration minValidity, String client) {
		HeldToken held = d.held();
		SessionModel model = d.model();
		if (held != null && lastsFor(held, minValidity, d.now())) {
			d.add(new Serve(held));
		}
		else if (model.unreadable() != null) {
			d.add(new Refuse(Refusals.unreadable(model.unreadable())));
		}
		else if (held != null && minValidity.compareTo(servedAtMost(held)) > 0) {
			// no renewal gives it: refused before one is spent
			d.add(new Refuse(Refusals.longerThanTokensLive(held.lifetime(), servedAtMost(held), minValidity)));
		}
		else if (!d.lease().mine()) {
			awaitHolder(d, held,
					(held != null) ? new PeerRequest(PeerRequest.RENEW, minValidity.toSeconds(), null, client) : null);
		}
		else if (model.calling() != null) {
			// a session check brings no fresher token: once it answers, decide again
			d.add((model.calling() == SessionState.CHECKING) ? new AskAgainAfterCall(minValidity, client)
					: new JoinCall());
		}
		else if (held == null) {
			this.calls.startLogin(d, loginReason(model));
		}
		else {
			this.calls.startForcedRenewal(d, held, client);
		}
	}

	/**
	 * A caller reported the token served refused: its session is checked at once, unless
	 * a check answered less than {@code broker.liveness.recheck-after} ago or checks wait
	 * after a failed one (the floor on the rate of checks: a successful one costs nothing
	 * of Tradovate's failed-call allowance, but callers must not make the broker hammer
	 * {@code /auth/me}); every report meanwhile shares the check. A closed session is
	 * replaced by one login.
	 */
	private void checkReported(Decision d, HeldToken held) {
		SessionModel model = d.model();
		Instant lastCheck = model.lastCheckAt();
		if (!d.lease().mine()) {
			awaitHolder(d, held, new PeerRequest(PeerRequest.VERIFY, 0, held.fingerprint()));
		}
		else if (model.calling() != null) {
			d.add(new JoinCall());
		}
		else if ((lastCheck != null && d.now().isBefore(lastCheck.plus(this.rules.timing().recheckAfter())))
				|| d.now().isBefore(model.checksResumeAt())) {
			// the check moments ago answers this report too
			d.add(new Serve(held));
		}
		else {
			d.log(Level.INFO, "a caller reports token {} refused; checking its session", held.fingerprint());
			this.calls.startCheck(d, held, LoginReason.REPORTED);
		}
	}

	/**
	 * An operator's order to act now: ends any cool-down, back-off or penalty wait, then
	 * renews the token (keeping the renewals reserved for the schedule), or logs in when
	 * none is held or the stored one cannot be read. A call in flight is joined.
	 */
	private void actNow(Decision d) {
		SessionModel model = d.model();
		HeldToken held = d.held();
		if (!d.lease().mine()) {
			awaitHolder(d, held, new PeerRequest(PeerRequest.ACT_NOW, 0, null));
			return;
		}
		if (model.calling() != null) {
			d.add((model.calling() == SessionState.CHECKING) ? new ActAgainAfterCall() : new JoinCall());
			return;
		}
		d.log(Level.INFO, "an operator asked to act now{}",
				model.record().mayCallAt(d.now()) ? "" : ", ending the wait until " + model.record().nextAttemptAt());
		if (model.unreadable() != null) {
			d.log(Level.WARN, "logging in although the stored token cannot be read ({}); its session stays open at "
					+ "Tradovate until it expires", model.unreadable());
			d.update((next) -> next.withUnreadable(null));
		}
		d.update((next) -> next.withRecord(next.record().waitEnded()));
		if (held != null) {
			this.calls.startRenewal(d, held, this.rules.reservedForSchedule());
		}
		else {
			this.calls.startLogin(d, LoginReason.OPERATOR);
		}
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

	/**
	 * A caller of a replica without the lease waits for the token the holder writes; when
	 * it needs more than the current token, or an operator's order, the holder is asked.
	 */
	private void awaitHolder(Decision d, HeldToken held, PeerRequest request) {
		AccountRecord record = d.record();
		if (!record.mayCallAt(d.now()) && record.failure() != null) {
			d.add(new Refuse(Refusals.waiting(record, d.now())));
		}
		else if (held == null && !d.lease().fresh()) {
			d.add(new Refuse(Refusals.noStoreNoToken()));
		}
		else {
			d.add(new AwaitHolder());
			if (d.model().awaitedAfter() == null) {
				d.update((model) -> model.withAwaitedAfter((held != null) ? held.revision() : record.revision()));
				if (request != null) {
					d.add(new AskHolder(request));
				}
			}
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

	/**
	 * The longest validity a renewal of {@code held} can serve: its lifetime less the
	 * second Tradovate's {@code Date} header leaves out and a second for the call.
	 */
	private static Duration servedAtMost(HeldToken held) {
		return held.lifetime().minus(RENEWAL_SLACK);
	}

	private static boolean lastsFor(HeldToken held, Duration minValidity, Instant now) {
		return minValidity.isZero() || held.remaining(now).compareTo(minValidity) >= 0;
	}

	private static LoginReason loginReason(SessionModel model) {
		if (model.nextLoginReason() != null) {
			return model.nextLoginReason();
		}
		return (model.record().lastSuccessAt() != null) ? LoginReason.EXPIRED : LoginReason.SCHEDULED;
	}

	private static boolean sameToken(String held, String reported) {
		return MessageDigest.isEqual(held.getBytes(StandardCharsets.UTF_8),
				reported.strip().getBytes(StandardCharsets.UTF_8));
	}

}
