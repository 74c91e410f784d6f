package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.Callers.Turn;
import io.tokenbroker.session.SessionAction.Call;
import io.tokenbroker.session.SessionEvent.Answered;
import io.tokenbroker.session.SessionEvent.Moment;
import io.tokenbroker.store.StoredEntry;

/**
 * One account's token lifecycle. Only the replica holding the account's lease calls
 * Tradovate, at most one call at a time; callers that need a token meanwhile share that
 * call's result or failure. Every change is written to the state store, so that restarts
 * and other replicas see it; the hot path reads only the local {@link TokenCache}.
 * <p>
 * This is the shell: {@link AccountLifecycle} decides, from the {@link SessionModel} and
 * each event; the shell holds the lock, runs the actions in order, feeds their answers
 * back as events, and completes the callers' futures once the lock is released.
 */
public class AccountSession {

	private final String id;

	private final SessionServices services;

	private final AccountLease lease;

	/** Replaced under lock when the credentials change; read by the hot path. */
	private volatile AccountLifecycle lifecycle;

	/** Replaced and used under lock. */
	private SessionEffects effects;

	private final Object lock = new Object();

	/** Written under lock; volatile: the hot path reads the renewal time without it. */
	private volatile SessionModel model = SessionModel.NEW;

	// Written under lock.

	private final Callers callers = new Callers(this::token, this::actNow);

	/** Events being handled on this thread, one inside another's action. */
	private int depth;

	AccountSession(TradovateAccount account, SessionServices services, AccountLease lease) {
		this.id = account.id();
		this.services = services;
		this.lease = lease;
		this.lifecycle = new AccountLifecycle(SessionRules.of(account, services));
		this.effects = new SessionEffects(account, services, lease);
	}

	public String id() {
		return this.id;
	}

	/**
	 * The account's settings were reloaded with other credentials: the next login sends
	 * them. The token held stays served (its session is Tradovate's, not the password's);
	 * a cool-down that refused credentials started ends, and a penalty ticket that
	 * answers a login with the old ones is dropped, as a restart would do. A call in
	 * flight answers as sent.
	 * @param account the same account (its id, user and base URL) with new credentials
	 */
	public void credentialsChanged(TradovateAccount account) {
		if (!account.id().equals(this.id)) {
			throw new IllegalArgumentException("credentials of account " + account.id() + " given to " + this.id);
		}
		synchronized (this.lock) {
			this.lifecycle = new AccountLifecycle(SessionRules.of(account, this.services));
			this.effects = new SessionEffects(account, this.services, this.lease);
		}
		handle(SessionEvent.CredentialsChanged::new, null);
	}

	/** {@link #token(Duration, Duration, String)} for a request that names no client. */
	public CompletableFuture<HeldToken> token(Duration minValidity, Duration maxWait) {
		return token(minValidity, maxWait, null);
	}

	/**
	 * A token valid for at least {@code minValidity}: at once when the current one is,
	 * else once the login or renewal in flight answers, but no later than
	 * {@code maxWait}. Completes with a {@link TokenUnavailableException} when none can
	 * be served, saying why. Waiting holds no thread.
	 * @param client the client asking: a renewal it forces comes from its share
	 * ({@code null}: the share of every request that names none)
	 */
	public CompletableFuture<HeldToken> token(Duration minValidity, Duration maxWait, String client) {
		return Callers.lasting(token(minValidity, client), minValidity, maxWait, this.services.clock());
	}

	/**
	 * The token held now if it is valid for at least {@code minValidity}, else
	 * {@code null}; never starts a call. What {@link #token(Duration, Duration)} answers
	 * at once, for the hot path.
	 */
	public HeldToken held(Duration minValidity) {
		HeldToken held = this.services.tokens().get(id());
		return (held != null && held.lastsFor(minValidity, this.services.clock())) ? held : null;
	}

	/**
	 * When the broker means to hold a newer token than {@code token}: its scheduled
	 * renewal (jitter included), or once that has passed (a renewal in flight or waiting
	 * for a retry), the next attempt; never in the past, never after the token stops
	 * being served. {@code null} when the broker knows no schedule for this token.
	 */
	public Instant renewAt(HeldToken token, Instant now) {
		return this.lifecycle.renewAt(this.model.record(), token, now);
	}

	/**
	 * The current token if it is valid long enough, else the shared result of the login
	 * or renewal that fetches a better one.
	 */
	CompletableFuture<HeldToken> token(Duration minValidity, String client) {
		HeldToken ready = held(minValidity);
		if (ready != null) {
			return CompletableFuture.completedFuture(ready);
		}
		return ask((at) -> new SessionEvent.TokenWanted(at, minValidity, client));
	}

	/**
	 * Called on every tick of the schedule: writes what the store missed, logs in when
	 * there is no token, renews when the renewal is due, and does nothing while a call is
	 * in flight, a wait runs, or another replica holds the lease.
	 */
	public void maintain() {
		handle(SessionEvent.Tick::new, null);
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
		return ask(SessionEvent.ActNow::new);
	}

	public SessionSnapshot snapshot() {
		synchronized (this.lock) {
			SessionModel current = this.model;
			return current.snapshot(id(), AccountLifecycle.held(current, this.services.policy(), now()),
					this.lease.holder());
		}
	}

	/**
	 * Back to the state at start, knowing nothing, for tests that keep one broker across
	 * tests; refused while a call is in flight or callers wait.
	 * @return whether the session was reset
	 */
	boolean reset() {
		synchronized (this.lock) {
			if (this.model.calling() != null || this.callers.waiting()) {
				return false;
			}
			this.model = SessionModel.NEW;
			return true;
		}
	}

	/** Whether this replica may take the account's lease: not while it cannot read it. */
	boolean mayHoldLease() {
		return read((model) -> model.unreadable() == null);
	}

	AccountLease lease() {
		return this.lease;
	}

	/**
	 * Marks a read of the store about to be taken; its answer goes to
	 * {@link #adopt(StoredEntry, long)} with this mark.
	 */
	long readMark() {
		return read((model) -> model.store().changes());
	}

	/**
	 * What the store holds for this account, read at start, on a change notice or on the
	 * periodic read (see {@link RecordSync#adopt}).
	 * @param mark the {@link #readMark()} taken before the read
	 */
	void adopt(StoredEntry entry, long mark) {
		handle((at) -> new SessionEvent.StoreRead(at, mark, entry), null);
	}

	/**
	 * The holder of the lease could not do what this replica asked: its waiting callers
	 * hear why.
	 */
	void holderFailed(TokenUnavailableException failure) {
		handle((at) -> new SessionEvent.HolderFailed(at, Refusal.of(failure)), null);
	}

	/**
	 * A caller reports that Tradovate refused a token. The token being served is checked
	 * once (every report of it shares the check, and one found open recently is not
	 * checked again); a closed session is replaced by one login. Any other token is
	 * answered at once with the current one.
	 */
	public CompletableFuture<HeldToken> report(String refused, Duration maxWait) {
		return Callers.checked(ask((at) -> new SessionEvent.Reported(at, refused)), maxWait);
	}

	/** Another replica's caller reported the token with this fingerprint refused. */
	CompletableFuture<HeldToken> reported(String fingerprint) {
		return ask((at) -> new SessionEvent.ReportedByPeer(at, fingerprint));
	}

	/** Whether this replica waits for logins in flight to free Tradovate's allowance. */
	boolean waitingForAllowance() {
		return read(SessionModel::waitingForAllowance);
	}

	private <T> T read(Function<SessionModel, T> view) {
		synchronized (this.lock) {
			return view.apply(this.model);
		}
	}

	private CompletableFuture<HeldToken> ask(Function<Moment, SessionEvent> event) {
		Turn turn = Turn.ofCaller();
		handle(event, turn);
		return turn.reply();
	}

	/**
	 * Decides an event under the lock and runs what follows, then completes the futures
	 * it settled.
	 * @param turn who hears the outcome: a caller, or the callers of the call answered;
	 * {@code null} for nobody
	 */
	private void handle(Function<Moment, SessionEvent> event, Turn turn) {
		List<Runnable> settled = List.of();
		synchronized (this.lock) {
			this.depth++;
			try {
				decide(event.apply(new Moment(now(), LeaseState.of(this.lease))), turn);
			}
			finally {
				if (--this.depth == 0) {
					settled = this.callers.settled();
				}
			}
		}
		settled.forEach(Runnable::run);
	}

	private void decide(SessionEvent event, Turn turn) {
		Decision decision = this.lifecycle.decide(this.model, event);
		this.model = decision.next();
		for (SessionAction action : decision.actions()) {
			SessionEvent answer = run(action, event.at(), turn);
			if (answer != null) {
				decide(answer, turn);
			}
		}
	}

	/** Runs an action: callers hear, a call goes with its answer to come as an event. */
	private SessionEvent run(SessionAction action, Moment at, Turn turn) {
		if (this.callers.answer(action, turn)) {
			return null;
		}
		if (action instanceof Call call) {
			this.callers.ofCall();
			// decided under the lock: callers see the outcome only once the state
			// reflects it
			this.effects.send(call, (answer) -> handle((when) -> new Answered(when, call, answer), Turn.ofCall()));
			return null;
		}
		return this.effects.perform(action, at);
	}

	private Instant now() {
		return this.services.clock().instant();
	}

}
