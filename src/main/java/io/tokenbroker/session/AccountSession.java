package io.tokenbroker.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.session.AnswerPolicy.Verdict;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.StoreUnavailableException;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;
import io.tokenbroker.store.WriteOutcome;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.TradovateAnswer;
import io.tokenbroker.tradovate.Operation;

/**
 * One account's token lifecycle. Only the replica holding the account's lease calls
 * Tradovate, at most one call at a time; callers that need a token meanwhile share that
 * call's result or failure. Every change is written to the state store, so that restarts
 * and other replicas see it; the hot path reads only the local {@link TokenCache}.
 */
public class AccountSession {

	private static final Logger log = LoggerFactory.getLogger(AccountSession.class);

	private final TradovateAccount account;

	private final SessionServices services;

	private final TokenCache tokens;

	private final RecordCodec codec;

	private final AccountLease lease;

	private final AnswerPolicy answers = new AnswerPolicy();

	/** How soon to come back for a token whose renewal is under way. */
	private static final Duration OVERDUE_RENEWAL_HINT = Duration.ofSeconds(5);

	private final Object lock = new Object();

	// Everything below is written under lock.

	/** Volatile: the hot path reads the renewal time without the lock. */
	private volatile AccountRecord record = AccountRecord.NEW;

	/** Revision of the record in the store, as far as this replica knows. */
	private long storedRevision;

	/** The record's text as last read from or written to the store. */
	private String storedContent;

	/** The record changed while the store was unreachable: written once it answers. */
	private boolean unsaved;

	/**
	 * Counts the changes to this replica's record and to what it knows the store holds: a
	 * read of the store taken before one of them may answer with what it replaced.
	 */
	private long changes;

	/** Why the stored token cannot be opened, or {@code null}. */
	private String unreadable;

	private CompletableFuture<HeldToken> inFlight;

	private SessionState calling;

	/** Callers of a replica without the lease, waiting for the holder's next token. */
	private CompletableFuture<HeldToken> awaited;

	private long awaitedAfter;

	private PendingTicket ticket;

	private long renewalBudgetWarnedFor = -1;

	/** Why the next login happens, when something other than time made the token go. */
	private LoginReason nextLoginReason;

	/** No liveness check before this (a check that failed waits like a failed call). */
	private Instant checksResumeAt = Instant.MIN;

	/**
	 * Whether the last login waited for logins in flight to free Tradovate's allowance.
	 */
	private boolean waitingForAllowance;

	/**
	 * The token a check last found open, and when: reports of it soon after need none.
	 */
	private String verifiedToken;

	private Instant verifiedAt = Instant.MIN;

	AccountSession(TradovateAccount account, SessionServices services, AccountLease lease) {
		this.account = account;
		this.services = services;
		this.tokens = services.tokens();
		this.codec = new RecordCodec(account, services.keys());
		this.lease = lease;
	}

	public String id() {
		return this.account.id();
	}

	/**
	 * A token valid for at least {@code minValidity}: at once when the current one is,
	 * else once the login or renewal in flight answers, but no later than
	 * {@code maxWait}. Completes with a {@link TokenUnavailableException} when none can
	 * be served, saying why. Waiting holds no thread.
	 */
	public CompletableFuture<HeldToken> token(Duration minValidity, Duration maxWait) {
		CompletableFuture<HeldToken> pending = token(minValidity);
		if (pending.isDone() && !pending.isCompletedExceptionally()) {
			return pending;
		}
		// a dependent future: a caller's timeout must not fail the call others share
		return pending.thenApply((token) -> checkValidity(token, minValidity))
			.orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS)
			.exceptionally((error) -> {
				throw (error instanceof TimeoutException || error.getCause() instanceof TimeoutException)
						? Refusals.notAnsweredWithin(maxWait, "call").exception() : asUnavailable(error);
			});
	}

	/**
	 * The token held now if it is valid for at least {@code minValidity}, else
	 * {@code null}; never starts a call. What {@link #token(Duration, Duration)} answers
	 * at once, for the hot path.
	 */
	public HeldToken held(Duration minValidity) {
		HeldToken held = this.tokens.get(id());
		return (held != null && lastsFor(held, minValidity)) ? held : null;
	}

	/**
	 * When the broker means to hold a newer token than {@code token}: its scheduled
	 * renewal (jitter included), or once that has passed (a renewal in flight or waiting
	 * for a retry), the next attempt; never in the past, never after the token stops
	 * being served. {@code null} when the broker knows no schedule for this token.
	 */
	public Instant renewAt(HeldToken token, Instant now) {
		AccountRecord current = this.record;
		Instant at = current.renewAt();
		if (current.revision() != token.revision() || at == null) {
			return null;
		}
		if (!at.isAfter(now)) {
			Instant next = current.nextAttemptAt();
			at = (next != null && next.isAfter(now)) ? next
					: now.truncatedTo(ChronoUnit.SECONDS).plus(OVERDUE_RENEWAL_HINT);
		}
		Instant end = this.services.policy().servedUntil(token);
		return at.isAfter(end) ? end : at;
	}

	private HeldToken checkValidity(HeldToken token, Duration minValidity) {
		Duration remaining = token.remaining(now());
		if (remaining.compareTo(minValidity) < 0) {
			throw Refusals.expiresTooSoon(remaining, minValidity).exception();
		}
		return token;
	}

	/**
	 * The current token if it is valid long enough, else the shared result of the login
	 * or renewal that fetches a better one.
	 */
	CompletableFuture<HeldToken> token(Duration minValidity) {
		HeldToken ready = held(minValidity);
		if (ready != null) {
			return CompletableFuture.completedFuture(ready);
		}
		synchronized (this.lock) {
			Instant now = now();
			HeldToken held = this.tokens.get(id());
			if (held != null && lastsFor(held, minValidity)) {
				return CompletableFuture.completedFuture(held);
			}
			if (this.unreadable != null) {
				return unreadable();
			}
			if (held != null && minValidity.compareTo(held.lifetime()) >= 0) {
				return failed(Refusals.longerThanTokensLive(held.lifetime(), minValidity));
			}
			if (!this.lease.mine()) {
				return awaitHolder(held,
						(held != null) ? new PeerRequest(PeerRequest.RENEW, minValidity.toSeconds(), null) : null, now);
			}
			if (this.inFlight != null) {
				// a session check brings no fresher token: once it answers, decide again
				return (this.calling == SessionState.CHECKING)
						? this.inFlight.thenCompose((checked) -> token(minValidity)) : this.inFlight;
			}
			if (held == null) {
				return startLogin(now, loginReason());
			}
			return startForcedRenewal(held, now);
		}
	}

	/**
	 * A renewal a caller asks for: never with the renewals kept for the schedule, and at
	 * most one per account in {@code broker.renewal.forced-interval}, so that no caller
	 * can spend what other accounts and the schedule need.
	 */
	private CompletableFuture<HeldToken> startForcedRenewal(HeldToken held, Instant now) {
		Instant last = this.record.forcedRenewalAt();
		Instant allowedAt = (last != null) ? last.plus(this.services.timing().forcedRenewalInterval()) : Instant.MIN;
		if (now.isBefore(allowedAt)) {
			return failed(Refusals.forcedTooSoon(last, allowedAt, now));
		}
		return startRenewal(held, now, this.services.reservedForSchedule(), true);
	}

	/**
	 * Called on every tick of the schedule: writes what the store missed, logs in when
	 * there is no token, renews when the renewal is due, and does nothing while a call is
	 * in flight, a wait runs, or another replica holds the lease.
	 */
	public void maintain() {
		synchronized (this.lock) {
			if (!this.lease.mine()) {
				return;
			}
			if (this.unsaved) {
				save();
			}
			Instant now = now();
			if (this.inFlight != null || !this.record.mayCallAt(now) || this.unreadable != null) {
				return;
			}
			HeldToken held = this.tokens.get(id());
			if (held == null) {
				startLogin(now, loginReason());
			}
			else if (this.record.renewAt() == null || !now.isBefore(this.record.renewAt())) {
				startRenewal(held, now, 0);
			}
			else if (checkDue(held, now)) {
				startCheck(held, now, LoginReason.REVOKED);
			}
			else if (this.record.token() != null && this.codec.sealedWithOldKey(this.record.token())) {
				log.info("Account {}: sealing token {} anew with the active store key", id(), held.fingerprint());
				commit(this.record.resealed(this.codec.seal(held)));
			}
		}
	}

	/**
	 * An operator's order to act now, say after solving a captcha: ends any cool-down,
	 * back-off or penalty wait, then renews the token, or logs in when none is held (or
	 * the stored one cannot be read: the operator accepts a new session). The hourly
	 * budget still applies (a renewal keeps the share reserved for the schedule): a
	 * refusal completes the result at once with a {@link TokenUnavailableException} that
	 * says so. A call already in flight is joined, never doubled. A replica without the
	 * lease passes the order to its holder.
	 */
	public CompletableFuture<HeldToken> actNow() {
		synchronized (this.lock) {
			Instant now = now();
			if (!this.lease.mine()) {
				return awaitHolder(this.tokens.get(id()), new PeerRequest(PeerRequest.ACT_NOW, 0, null), now);
			}
			if (this.inFlight != null) {
				return (this.calling == SessionState.CHECKING) ? this.inFlight.thenCompose((checked) -> actNow())
						: this.inFlight;
			}
			log.info("Account {}: an operator asked to act now{}", id(),
					this.record.mayCallAt(now) ? "" : ", ending the wait until " + this.record.nextAttemptAt());
			if (this.unreadable != null) {
				log.warn("Account {}: logging in although the stored token cannot be read ({}); its session stays "
						+ "open at Tradovate until it expires", id(), this.unreadable);
				this.unreadable = null;
			}
			this.record = this.record.waitEnded();
			HeldToken held = this.tokens.get(id());
			return (held != null) ? startRenewal(held, now, this.services.reservedForSchedule())
					: startLogin(now, LoginReason.OPERATOR);
		}
	}

	public SessionSnapshot snapshot() {
		synchronized (this.lock) {
			HeldToken held = this.tokens.get(id());
			AccountRecord current = this.record;
			Failure failure = current.failure();
			SessionState state = (this.inFlight != null) ? this.calling : current.state();
			return new SessionSnapshot(id(), state, (held != null) ? held.fingerprint() : null,
					(held != null) ? held.expiresAt() : null, (held != null) ? current.renewAt() : null,
					current.nextAttemptAt(), current.lastSuccessAt(), (failure != null) ? failure.detail() : null,
					(failure != null) ? failure.at() : null, current.failures(), this.lease.holder(),
					(current.token() != null) ? current.token().secrets().keyId() : null, this.unreadable,
					current.checkedAt(), (current.loginReason() != null) ? current.loginReason().tag() : null);
		}
	}

	/** Whether this replica may take the account's lease: not while it cannot read it. */
	boolean mayHoldLease() {
		synchronized (this.lock) {
			return this.unreadable == null;
		}
	}

	AccountLease lease() {
		return this.lease;
	}

	/**
	 * Marks a read of the store about to be taken; its answer goes to
	 * {@link #adopt(StoredEntry, long)} with this mark.
	 */
	long readMark() {
		synchronized (this.lock) {
			return this.changes;
		}
	}

	/**
	 * What the store holds for this account, read at start, on a change notice or on the
	 * periodic read. Another replica's record replaces this one's view, unless this
	 * replica holds the lease and has a call in flight or a record to write (its own
	 * write then settles who is right), or this replica wrote or adopted a record since
	 * the read was taken (its answer may be what that replaced, say the record of an
	 * expired token: the next read brings what is new). Nothing stored while this replica
	 * holds a token means the store lost its data: the token is given back.
	 * @param mark the {@link #readMark()} taken before the read
	 */
	void adopt(StoredEntry entry, long mark) {
		synchronized (this.lock) {
			if (mark != this.changes) {
				return;
			}
			if (entry == null) {
				offerHeldToken();
				return;
			}
			if (entry.content().equals(this.storedContent)
					|| (this.lease.mine() && (this.inFlight != null || this.unsaved))) {
				return;
			}
			read(entry);
		}
	}

	private void read(StoredEntry entry) {
		try {
			apply(this.codec.read(entry), entry);
		}
		catch (UnreadableEntryException ex) {
			// a login an operator orders may still replace it
			stored(entry);
			markUnreadable("the stored record cannot be read: " + ex.getMessage());
		}
	}

	/**
	 * The holder of the lease could not do what this replica asked: its waiting callers
	 * hear why.
	 */
	void holderFailed(TokenUnavailableException failure) {
		synchronized (this.lock) {
			if (this.awaited != null) {
				this.awaited.completeExceptionally(failure);
				this.awaited = null;
			}
		}
	}

	private void apply(AccountRecord stored, StoredEntry entry) {
		this.record = stored;
		stored(entry);
		this.unsaved = false;
		this.ticket = (stored.ticket() != null) ? this.codec.open(stored.ticket()) : null;
		if (stored.token() == null) {
			this.tokens.remove(id());
			this.unreadable = null;
		}
		else {
			try {
				HeldToken token = this.codec.open(stored.token(), stored.revision());
				HeldToken held = this.tokens.get(id());
				if (held == null || held.revision() != token.revision()) {
					this.tokens.put(token);
				}
				this.unreadable = null;
			}
			catch (UnreadableEntryException ex) {
				markUnreadable(
						"the stored token " + stored.token().fingerprint() + " cannot be opened: " + ex.getMessage());
			}
		}
		String credentials = this.account.credentials().fingerprint();
		if (stored.refusedCredentials() != null && !stored.refusedCredentials().equals(credentials)) {
			log.info("Account {}: the credentials changed since Tradovate refused them; the cool-down ends", id());
			this.record = stored.waitEnded().withState(SessionState.STARTING);
		}
		wakeAwaited();
	}

	private void markUnreadable(String why) {
		if (!why.equals(this.unreadable)) {
			log.error("Account {}: {}. The account serves no token and does not log in (that would open another "
					+ "session): configure the key that sealed it, or order a login through POST /actuator/tokens/{}",
					id(), why, id());
			this.services.events().storedTokenUnreadable(id());
		}
		this.unreadable = why;
		this.tokens.remove(id());
		if (this.awaited != null) {
			this.awaited.completeExceptionally(unreadableException());
			this.awaited = null;
		}
	}

	private void offerHeldToken() {
		HeldToken held = this.tokens.get(id());
		if (held == null || this.record.token() == null) {
			return;
		}
		try {
			StoredEntry entry = this.codec.write(this.record);
			if (this.services.store().offer(id(), entry)) {
				log.warn("Account {}: the store had lost the account's record; token {} was written back", id(),
						held.fingerprint());
				stored(entry);
				this.unsaved = false;
			}
		}
		catch (StoreUnavailableException ex) {
			// the next read tries again
		}
	}

	/**
	 * A caller of a replica without the lease waits for the token the holder writes; when
	 * it needs more than the current token, or an operator's order, the holder is asked.
	 */
	private CompletableFuture<HeldToken> awaitHolder(HeldToken held, PeerRequest request, Instant now) {
		if (!this.record.mayCallAt(now) && this.record.failure() != null) {
			return refusal(now);
		}
		if (held == null && !this.lease.fresh()) {
			return failed(Refusals.noStoreNoToken());
		}
		CompletableFuture<HeldToken> waiting = this.awaited;
		if (waiting == null) {
			waiting = new CompletableFuture<>();
			this.awaited = waiting;
			this.awaitedAfter = (held != null) ? held.revision() : this.record.revision();
			if (request != null) {
				// the holder's answer may arrive before this returns
				this.services.peers().ask(id(), request);
			}
		}
		return waiting;
	}

	private void wakeAwaited() {
		if (this.awaited == null) {
			return;
		}
		HeldToken held = this.tokens.get(id());
		if (held != null && held.revision() > this.awaitedAfter) {
			this.awaited.complete(held);
			this.awaited = null;
		}
		else if (!this.record.mayCallAt(now()) && this.record.failure() != null) {
			this.awaited.completeExceptionally(refusalException(now()));
			this.awaited = null;
		}
	}

	private boolean lastsFor(HeldToken held, Duration minValidity) {
		return minValidity.isZero() || held.remaining(now()).compareTo(minValidity) >= 0;
	}

	private LoginReason loginReason() {
		if (this.nextLoginReason != null) {
			return this.nextLoginReason;
		}
		return (this.record.lastSuccessAt() != null) ? LoginReason.EXPIRED : LoginReason.SCHEDULED;
	}

	private CompletableFuture<HeldToken> startLogin(Instant now, LoginReason reason) {
		if (!this.record.mayCallAt(now)) {
			return refusal(now);
		}
		if (!this.lease.confirmed()) {
			return failed(Refusals.noLeaseToLogIn());
		}
		HourlyLedger logins = this.services.budget().failedLogins();
		// counted while in flight: the logins in flight can never fail beyond the limit
		HourlyLedger.Permit permit = logins.tryAcquirePending(now, now.plus(this.services.timing().answerWithin()));
		if (permit == null) {
			return loginRefused(logins, now);
		}
		this.waitingForAllowance = false;
		LoginRequest request = (this.ticket != null) ? this.ticket.resend()
				: LoginRequest.of(this.account.credentials());
		log.info("Account {}: logging in to {} ({}){}", id(), this.account.baseUrl(), reason.tag(),
				(this.ticket != null) ? " with the penalty ticket" : "");
		this.services.events().loginStarted(id(), reason);
		if (this.ticket != null) {
			// a ticket is used once: forgotten before it is sent, so a crash cannot
			// resend it
			this.ticket = null;
			commit(this.record.withTicket(null));
		}
		this.calling = SessionState.LOGGING_IN;
		return call(this.services.tradovate().login(this.account, request),
				(answer, at) -> afterLogin(answer, request, permit, reason, at));
	}

	/**
	 * Tradovate's allowance of failed logins leaves no place. When logins still in flight
	 * hold it, this one follows as soon as they answer (the schedule is woken); only
	 * logins that failed make the account wait until the hour frees a place.
	 */
	private CompletableFuture<HeldToken> loginRefused(HourlyLedger logins, Instant now) {
		int inFlight = logins.pending(now);
		Instant nextFree = logins.nextFreeAt(now, 0);
		if (inFlight > 0) {
			this.waitingForAllowance = true;
			return failed(Refusals.loginsInFlight(inFlight, logins.limit(), Duration.between(now, nextFree)));
		}
		Failure failure = new Failure(Reason.BUDGET_EXHAUSTED,
				Refusals.failedLoginsSpent(logins.used(now), logins.limit()), now);
		// once per wait: until nextFree, no login is tried and this is not reached again
		log.warn("Account {}: {}; no login before {}, and no token is served until then", id(), failure.detail(),
				nextFree.truncatedTo(ChronoUnit.SECONDS));
		commit(this.record.failed(this.record.state(), failure, nextFree, this.record.failures()));
		return refusal(now);
	}

	/** Whether the session should be checked open now. */
	private boolean checkDue(HeldToken held, Instant now) {
		Duration interval = this.services.timing().checkInterval();
		if (interval.isZero() || now.isBefore(this.checksResumeAt)) {
			return false;
		}
		Instant last = (this.record.checkedAt() != null) ? this.record.checkedAt() : held.obtainedAt();
		return !now.isBefore(last.plus(interval));
	}

	/**
	 * Asks Tradovate ({@code /auth/me}) whether the token's session is still open, within
	 * its allowance of failed checks; a closed session is replaced by one login.
	 * @param ifClosed why the login happens when the session is closed
	 */
	private CompletableFuture<HeldToken> startCheck(HeldToken held, Instant now, LoginReason ifClosed) {
		HourlyLedger checks = this.services.budget().failedChecks();
		HourlyLedger.Permit permit = checks.tryAcquirePending(now, now.plus(this.services.timing().answerWithin()));
		if (permit == null) {
			Instant nextFree = checks.nextFreeAt(now, 0);
			this.checksResumeAt = nextFree;
			this.services.events().sessionChecked(id(), "skipped");
			log.warn("Account {}: Tradovate's allowance of {} failed session checks an hour is spent; the next "
					+ "check is possible at {}", id(), checks.limit(), nextFree);
			return failed(Refusals.checksSpent(checks.used(now), checks.limit(), Duration.between(now, nextFree)));
		}
		log.debug("Account {}: checking that the session of token {} is open", id(), held.fingerprint());
		this.calling = SessionState.CHECKING;
		return call(this.services.tradovate().me(this.account, held.accessToken()),
				(answer, at) -> afterCheck(answer, held, permit, ifClosed, at));
	}

	private CompletableFuture<HeldToken> afterCheck(TradovateAnswer answer, HeldToken checked,
			HourlyLedger.Permit permit, LoginReason ifClosed, Instant now) {
		Verdict verdict = this.answers.judge(Operation.ME, answer);
		this.services.budget().failedChecks().settle(permit, this.answers.counts(Operation.ME, answer));
		if (verdict instanceof Verdict.SessionOpen) {
			this.services.events().sessionChecked(id(), "open");
			this.verifiedToken = checked.fingerprint();
			this.verifiedAt = now;
			commit(this.record.withCheckedAt(now));
			HeldToken current = this.tokens.get(id());
			return CompletableFuture.completedFuture((current != null) ? current : checked);
		}
		if (verdict instanceof Verdict.SessionClosed) {
			this.services.events().sessionChecked(id(), "closed");
			log.warn("Account {}: Tradovate closed the session of token {} (HTTP 401 on /auth/me: the user logged "
					+ "in elsewhere, or the password changed); logging in again", id(), checked.fingerprint());
			this.tokens.invalidate(checked);
			this.nextLoginReason = ifClosed;
			commit(this.record.withoutToken(SessionState.STARTING));
			return startLogin(now, ifClosed);
		}
		Verdict.CheckInconclusive inconclusive = (Verdict.CheckInconclusive) verdict;
		this.services.events().sessionChecked(id(), "failed");
		Duration wait = (inconclusive.penaltyWait() != null) ? inconclusive.penaltyWait()
				: this.services.policy().backOff(1);
		this.checksResumeAt = now.plus(wait);
		log.warn("Account {}: the session check got no answer to go by ({}); token {} is still served, next check "
				+ "at {}", id(), inconclusive.why(), checked.fingerprint(), this.checksResumeAt);
		return CompletableFuture.completedFuture(checked);
	}

	/**
	 * A caller reports that Tradovate refused a token. The token being served is checked
	 * once (every report of it shares the check, and one found open recently is not
	 * checked again); a closed session is replaced by one login. Any other token is
	 * answered at once with the current one.
	 */
	public CompletableFuture<HeldToken> report(String refused, Duration maxWait) {
		CompletableFuture<HeldToken> result;
		synchronized (this.lock) {
			result = verify(refused);
		}
		if (result.isDone() && !result.isCompletedExceptionally()) {
			return result;
		}
		return result.orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS).exceptionally((error) -> {
			throw (error instanceof TimeoutException || error.getCause() instanceof TimeoutException)
					? Refusals.notAnsweredWithin(maxWait, "check").exception() : asUnavailable(error);
		});
	}

	/** Under the lock: what a report of this token calls for. */
	private CompletableFuture<HeldToken> verify(String refused) {
		Instant now = now();
		HeldToken held = this.tokens.get(id());
		if (held == null || !sameToken(held.accessToken(), refused)) {
			return (held != null) ? CompletableFuture.completedFuture(held) : token(Duration.ZERO);
		}
		if (!this.lease.mine()) {
			return awaitHolder(held, new PeerRequest(PeerRequest.VERIFY, 0, held.fingerprint()), now);
		}
		if (this.inFlight != null) {
			return this.inFlight;
		}
		if (held.fingerprint().equals(this.verifiedToken)
				&& now.isBefore(this.verifiedAt.plus(this.services.timing().recheckAfter()))) {
			// a check found this very token's session open moments ago
			return CompletableFuture.completedFuture(held);
		}
		log.info("Account {}: a caller reports token {} refused; checking its session", id(), held.fingerprint());
		return startCheck(held, now, LoginReason.REPORTED);
	}

	/** Another replica's caller reported the token with this fingerprint refused. */
	CompletableFuture<HeldToken> reported(String fingerprint) {
		synchronized (this.lock) {
			HeldToken held = this.tokens.get(id());
			return (held != null && held.fingerprint().equals(fingerprint)) ? verify(held.accessToken())
					: token(Duration.ZERO);
		}
	}

	/** Whether this replica waits for logins in flight to free Tradovate's allowance. */
	boolean waitingForAllowance() {
		synchronized (this.lock) {
			return this.waitingForAllowance;
		}
	}

	private static boolean sameToken(String held, String reported) {
		return MessageDigest.isEqual(held.getBytes(StandardCharsets.UTF_8),
				reported.strip().getBytes(StandardCharsets.UTF_8));
	}

	private CompletableFuture<HeldToken> startRenewal(HeldToken held, Instant now, int reserve) {
		return startRenewal(held, now, reserve, false);
	}

	/**
	 * @param forced whether a caller forced it: counted against the account's allowance
	 * of forced renewals once the call goes
	 */
	private CompletableFuture<HeldToken> startRenewal(HeldToken held, Instant now, int reserve, boolean forced) {
		if (!this.record.mayCallAt(now)) {
			return refusal(now);
		}
		HourlyLedger renewals = this.services.budget().renewals();
		if (renewals.tryAcquire(now, reserve) == null) {
			String detail = Refusals.renewalsSpent(renewals.used(now), reserve, renewals.limit());
			if (this.renewalBudgetWarnedFor != held.revision() && reserve == 0) {
				this.renewalBudgetWarnedFor = held.revision();
				log.warn("Account {}: {}; token {} is served until it expires at {}, then the broker logs in again",
						id(), detail, held.fingerprint(), held.expiresAt());
			}
			Instant nextFree = renewals.nextFreeAt(now, reserve);
			return failed(Refusals.noRenewalBefore(detail, nextFree, now));
		}
		log.debug("Account {}: renewing token {} (expires at {})", id(), held.fingerprint(), held.expiresAt());
		if (forced) {
			commit(this.record.withForcedRenewalAt(now));
		}
		this.calling = SessionState.RENEWING;
		return call(this.services.tradovate().renew(this.account, held.accessToken()),
				(answer, at) -> afterRenewal(answer, held, at));
	}

	/**
	 * Sends one call and makes it the account's call in flight. Its answer is handled
	 * under the lock, on the session executor; callers see the outcome only after the
	 * state reflects it.
	 */
	private CompletableFuture<HeldToken> call(CompletableFuture<TradovateAnswer> request,
			BiFunction<TradovateAnswer, Instant, CompletableFuture<HeldToken>> handler) {
		CompletableFuture<HeldToken> result = new CompletableFuture<>();
		this.inFlight = result;
		request
			.whenCompleteAsync((answer, error) -> settle(result,
					(error == null) ? answer
							: new TradovateAnswer.Failed("unexpected " + error.getClass().getSimpleName()),
					handler), this::execute);
		return result;
	}

	private void execute(Runnable task) {
		Executor executor = this.services.executor();
		try {
			executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the answer is still recorded
			task.run();
		}
	}

	private void settle(CompletableFuture<HeldToken> result, TradovateAnswer answer,
			BiFunction<TradovateAnswer, Instant, CompletableFuture<HeldToken>> handler) {
		CompletableFuture<HeldToken> outcome;
		synchronized (this.lock) {
			this.inFlight = null;
			outcome = handler.apply(answer, now());
		}
		outcome.whenComplete((token, error) -> {
			if (error == null) {
				result.complete(token);
			}
			else {
				result.completeExceptionally(asUnavailable(error));
			}
		});
	}

	private CompletableFuture<HeldToken> afterLogin(TradovateAnswer answer, LoginRequest request,
			HourlyLedger.Permit permit, LoginReason reason, Instant now) {
		// Tradovate counts failed logins only; others waiting for the place go now
		this.services.budget().failedLogins().settle(permit, this.answers.counts(Operation.LOGIN, answer));
		this.services.wake().run();
		Verdict verdict = this.answers.judge(Operation.LOGIN, answer);
		if (verdict instanceof Verdict.Accept accepted) {
			this.nextLoginReason = null;
			return accept(accepted.token(), null, reason, now);
		}
		return failedCall(verdict, request, now);
	}

	private CompletableFuture<HeldToken> afterRenewal(TradovateAnswer answer, HeldToken renewed, Instant now) {
		Verdict verdict = this.answers.judge(Operation.RENEW, answer);
		if (verdict instanceof Verdict.Accept accepted) {
			return accept(accepted.token(), renewed, null, now);
		}
		if (verdict instanceof Verdict.SessionClosed) {
			log.warn("Account {}: Tradovate no longer accepts token {} (HTTP 401 on renewal); logging in again", id(),
					renewed.fingerprint());
			this.tokens.invalidate(renewed);
			this.nextLoginReason = LoginReason.REVOKED;
			commit(this.record.withoutToken(SessionState.STARTING));
			return startLogin(now, LoginReason.REVOKED);
		}
		return failedCall(verdict, null, now);
	}

	/**
	 * @param request the login answered, or {@code null} for a renewal
	 */
	private CompletableFuture<HeldToken> failedCall(Verdict verdict, LoginRequest request, Instant now) {
		if (verdict instanceof Verdict.PenaltyWait penalty) {
			return penalized(penalty, request, now);
		}
		if (verdict instanceof Verdict.CoolDown coolDown) {
			return coolDown(coolDown.state(), coolDown.reason(), coolDown.detail(), now);
		}
		return backOff(((Verdict.BackOff) verdict).detail(), now);
	}

	private CompletableFuture<HeldToken> accept(IssuedToken issued, HeldToken renewed, LoginReason reason,
			Instant now) {
		// revisions only grow, even past a record this replica could not read
		long revision = Math.max(this.record.revision(), this.storedRevision) + 1;
		HeldToken token = HeldToken.of(id(), issued, renewed, revision, now);
		if (!this.services.policy().servedUntil(token).isAfter(now)) {
			// never served: the next login waits at least for this token to expire, so
			// short tokens never open more than one session per lifetime
			return backOff(Refusals.tooShortToServe(token), now, now.plus(token.lifetime()));
		}
		Instant renewAt = this.services.policy().renewAt(token);
		if (!commit(this.record.granted(token.revision(), this.codec.seal(token), renewAt, now, reason))) {
			log.warn("Account {}: token {} is discarded: another replica took the account's lease while the call "
					+ "was in flight, and its record wins", id(), token.fingerprint());
			HeldToken current = this.tokens.get(id());
			return (current != null) ? CompletableFuture.completedFuture(current) : failed(Refusals.takenOver());
		}
		if (renewed == null || !this.tokens.replace(renewed, token)) {
			this.tokens.put(token);
		}
		log.info("Account {}: {}; token {} valid until {} (lifetime {} s), renewal at {}", id(),
				(renewed == null) ? "logged in, new session" : "renewed " + renewed.fingerprint() + ", same session",
				token.fingerprint(), token.expiresAt(), token.lifetime().toSeconds(), renewAt);
		if (!this.codec.keepsTokens() && renewed == null) {
			log.debug("Account {}: no store key, so token {} is not kept beyond this process", id(),
					token.fingerprint());
		}
		return CompletableFuture.completedFuture(token);
	}

	private CompletableFuture<HeldToken> penalized(Verdict.PenaltyWait penalty, LoginRequest request, Instant now) {
		Instant until = now.plus(penalty.penalty().waitFor());
		AccountRecord next = this.record.failed(SessionState.PENALIZED,
				new Failure(Reason.PENALIZED, penalty.detail(), now), until, this.record.failures());
		if (penalty.keepTicket() && penalty.penalty().ticket() != null) {
			this.ticket = new PendingTicket(request, penalty.penalty().ticket());
			next = next.withTicket(this.codec.seal(this.ticket));
		}
		this.services.events().waitImposed(id(), SessionState.PENALIZED);
		log.warn("Account {}: {}, at {}", id(), penalty.detail(), until);
		commit(next);
		return refusal(now);
	}

	private CompletableFuture<HeldToken> coolDown(SessionState cooling, Reason reason, String detail, Instant now) {
		this.services.events().waitImposed(id(), cooling);
		this.ticket = null;
		Instant until = now.plus(this.services.policy().coolDown());
		AccountRecord next = this.record
			.failed(cooling, new Failure(reason, detail, now), until, this.record.failures() + 1)
			.withTicket(null);
		if (cooling == SessionState.REJECTED) {
			// new credentials end this cool-down: the store keeps only their fingerprint
			next = next.withRefusedCredentials(this.account.credentials().fingerprint());
		}
		log.error("Account {}: {}; no call to Tradovate for this account until {}", id(), detail, until);
		commit(next);
		return refusal(now);
	}

	private CompletableFuture<HeldToken> backOff(String detail, Instant now) {
		return backOff(detail, now, now);
	}

	/**
	 * @param notBefore the next attempt comes no earlier than this
	 */
	private CompletableFuture<HeldToken> backOff(String detail, Instant now, Instant notBefore) {
		int failures = this.record.failures() + 1;
		HeldToken held = this.tokens.get(id());
		// while a token is served, a renewal is retried before it stops being served
		Duration wait = this.services.policy().retryAfter(failures, held, now);
		if (now.plus(wait).isBefore(notBefore)) {
			wait = Duration.between(now, notBefore);
		}
		log.warn("Account {}: {}; failure {} in a row, next attempt in {} ms{}", id(), detail, failures,
				wait.toMillis(),
				(held != null)
						? "; token " + held.fingerprint() + " is still served until it expires at " + held.expiresAt()
						: "");
		commit(this.record.failed(SessionState.BACKING_OFF, new Failure(Reason.UPSTREAM_FAILED, detail, now),
				now.plus(wait), failures));
		return refusal(now);
	}

	/**
	 * Makes a record this replica's view and writes it to the store.
	 * @return {@code false} when another replica's record won and replaced it
	 */
	private boolean commit(AccountRecord next) {
		this.record = next;
		return save();
	}

	/**
	 * Writes the record under the lease's fencing number, from the revision last seen in
	 * the store. When the store is unreachable the record is kept and written later; when
	 * another replica wrote or took the lease since, the store's record wins.
	 */
	private boolean save() {
		this.changes++;
		StoredEntry entry = this.codec.write(this.record);
		WriteOutcome outcome;
		try {
			outcome = this.services.store().write(id(), this.lease.fence(), this.storedRevision, entry);
		}
		catch (StoreUnavailableException ex) {
			if (!this.unsaved) {
				log.warn("Account {}: the state store is unreachable ({}); the account's record is kept here and "
						+ "written once it answers", id(), ex.getMessage());
			}
			this.unsaved = true;
			return true;
		}
		this.unsaved = false;
		if (outcome == WriteOutcome.WRITTEN) {
			stored(entry);
			return true;
		}
		if (offerNewerToken(entry)) {
			return true;
		}
		log.warn("Account {}: the store refused this replica's record ({}): {}", id(), outcome,
				(outcome == WriteOutcome.FENCED) ? "another replica took the lease" : "another replica wrote first");
		reload();
		return false;
	}

	/**
	 * A record refused by fence or revision still lands when it carries a token newer
	 * than any stored (say one renewed while the store was away and its lease ran out):
	 * the latest token wins, and no token newer than it is ever overwritten.
	 */
	private boolean offerNewerToken(StoredEntry entry) {
		if (this.record.token() == null || entry.revision() <= this.storedRevision) {
			return false;
		}
		try {
			if (!this.services.store().offer(id(), entry)) {
				return false;
			}
		}
		catch (StoreUnavailableException ex) {
			return false;
		}
		log.info("Account {}: token {} is newer than any the store holds and was written back", id(),
				this.record.token().fingerprint());
		stored(entry);
		return true;
	}

	private void stored(StoredEntry entry) {
		this.storedRevision = entry.revision();
		this.storedContent = entry.content();
		this.changes++;
	}

	private void reload() {
		this.storedContent = null;
		try {
			StoredEntry stored = this.services.store().read(id());
			if (stored == null) {
				this.storedRevision = 0;
				offerHeldToken();
				return;
			}
			read(stored);
		}
		catch (StoreUnavailableException ex) {
			this.unsaved = true;
		}
	}

	/** Why no call is made now, and when the next one may be. */
	private CompletableFuture<HeldToken> refusal(Instant now) {
		return CompletableFuture.failedFuture(refusalException(now));
	}

	private TokenUnavailableException refusalException(Instant now) {
		return Refusals.waiting(this.record, now).exception();
	}

	private CompletableFuture<HeldToken> unreadable() {
		return CompletableFuture.failedFuture(unreadableException());
	}

	private TokenUnavailableException unreadableException() {
		return Refusals.unreadable(this.unreadable).exception();
	}

	private Instant now() {
		return this.services.clock().instant();
	}

	private static CompletableFuture<HeldToken> failed(Refusal refusal) {
		return CompletableFuture.failedFuture(refusal.exception());
	}

	private static TokenUnavailableException asUnavailable(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (cause instanceof TokenUnavailableException unavailable) {
			return unavailable;
		}
		return Refusals.unexpected(cause).exception();
	}

}
