package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.TradovateAnswer;
import io.tokenbroker.tradovate.TradovateAnswer.Expired;
import io.tokenbroker.tradovate.TradovateAnswer.Granted;
import io.tokenbroker.tradovate.TradovateAnswer.LockedOut;
import io.tokenbroker.tradovate.TradovateAnswer.Penalized;
import io.tokenbroker.tradovate.TradovateAnswer.Rejected;
import io.tokenbroker.tradovate.TradovateClient;

/**
 * One account's token lifecycle. At most one call to Tradovate is in flight for the
 * account; callers that need a token meanwhile share that call's result or failure. The
 * token itself lives in the {@link TokenStore}, read without locking on the hot path.
 */
public class AccountSession {

	private static final Logger log = LoggerFactory.getLogger(AccountSession.class);

	private final TradovateAccount account;

	private final TradovateClient tradovate;

	private final TokenStore tokens;

	private final UpstreamBudget budget;

	private final RenewalPolicy policy;

	private final int reservedForSchedule;

	private final Clock clock;

	private final SessionEvents events;

	private final Object lock = new Object();

	// Everything below is guarded by lock.

	private SessionState state = SessionState.STARTING;

	private CompletableFuture<HeldToken> inFlight;

	private Instant nextAttemptAt = Instant.MIN;

	private Instant renewAt;

	private long revision;

	private int failures;

	private PendingTicket ticket;

	private Failure lastFailure;

	private Instant lastSuccessAt;

	private long renewalBudgetWarnedFor = -1;

	public AccountSession(TradovateAccount account, TradovateClient tradovate, TokenStore tokens, UpstreamBudget budget,
			RenewalPolicy policy, int reservedForSchedule, Clock clock, SessionEvents events) {
		this.account = account;
		this.tradovate = tradovate;
		this.tokens = tokens;
		this.budget = budget;
		this.policy = policy;
		this.reservedForSchedule = reservedForSchedule;
		this.clock = clock;
		this.events = events;
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
						? new TokenUnavailableException(Reason.STILL_WAITING,
								"Tradovate has not answered within " + maxWait.toMillis()
										+ " ms; the call is still in flight, ask again shortly",
								Duration.ofSeconds(1))
						: asUnavailable(error);
			});
	}

	private HeldToken checkValidity(HeldToken token, Duration minValidity) {
		Duration remaining = token.remaining(this.clock.instant());
		if (remaining.compareTo(minValidity) < 0) {
			throw new TokenUnavailableException(Reason.LIFETIME_TOO_SHORT, "the freshest token expires in "
					+ remaining.toSeconds() + " s, sooner than the " + minValidity.toSeconds() + " s asked for",
					Duration.ofSeconds(1));
		}
		return token;
	}

	/**
	 * The current token if it is valid long enough, else the shared result of the login
	 * or renewal that fetches a better one.
	 */
	CompletableFuture<HeldToken> token(Duration minValidity) {
		HeldToken held = this.tokens.get(id());
		if (held != null && lastsFor(held, minValidity)) {
			return CompletableFuture.completedFuture(held);
		}
		synchronized (this.lock) {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			held = this.tokens.get(id());
			Instant now = this.clock.instant();
			if (held == null) {
				return startLogin(now);
			}
			if (lastsFor(held, minValidity)) {
				return CompletableFuture.completedFuture(held);
			}
			if (minValidity.compareTo(held.lifetime()) >= 0) {
				return CompletableFuture.failedFuture(new TokenUnavailableException(
						Reason.LIFETIME_TOO_SHORT, "Tradovate's tokens live " + held.lifetime().toSeconds()
								+ " s, so a token valid for " + minValidity.toSeconds() + " s cannot be had",
						Duration.ofSeconds(1)));
			}
			// callers may renew early, but never with the renewals kept for the schedule
			return startRenewal(held, now, this.reservedForSchedule);
		}
	}

	/**
	 * Called on every tick of the schedule: logs in when there is no token, renews when
	 * the renewal is due, and does nothing while a call is in flight or a wait runs.
	 */
	public void maintain() {
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			if (this.inFlight != null || now.isBefore(this.nextAttemptAt)) {
				return;
			}
			HeldToken held = this.tokens.get(id());
			if (held == null) {
				startLogin(now);
			}
			else if (!now.isBefore(this.renewAt)) {
				startRenewal(held, now, 0);
			}
		}
	}

	/**
	 * An operator's order to act now, say after solving a captcha: ends any cool-down,
	 * back-off or penalty wait, then renews the token, or logs in when none is held. The
	 * hourly budget still applies (a renewal keeps the share reserved for the schedule):
	 * a refusal completes the result at once with a {@link TokenUnavailableException}
	 * that says so. A call already in flight is joined, never doubled.
	 */
	public CompletableFuture<HeldToken> actNow() {
		synchronized (this.lock) {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			Instant now = this.clock.instant();
			log.info("Account {}: an operator asked to act now{}", id(),
					now.isBefore(this.nextAttemptAt) ? ", ending the wait until " + this.nextAttemptAt : "");
			this.nextAttemptAt = Instant.MIN;
			HeldToken held = this.tokens.get(id());
			return (held != null) ? startRenewal(held, now, this.reservedForSchedule) : startLogin(now);
		}
	}

	public SessionSnapshot snapshot() {
		synchronized (this.lock) {
			HeldToken held = this.tokens.get(id());
			Failure failure = this.lastFailure;
			return new SessionSnapshot(id(), this.state, (held != null) ? held.fingerprint() : null,
					(held != null) ? held.expiresAt() : null, (held != null) ? this.renewAt : null,
					this.nextAttemptAt.equals(Instant.MIN) ? null : this.nextAttemptAt, this.lastSuccessAt,
					(failure != null) ? failure.detail() : null, (failure != null) ? failure.at() : null,
					this.failures);
		}
	}

	private boolean lastsFor(HeldToken held, Duration minValidity) {
		return minValidity.isZero() || held.remaining(this.clock.instant()).compareTo(minValidity) >= 0;
	}

	private CompletableFuture<HeldToken> startLogin(Instant now) {
		if (now.isBefore(this.nextAttemptAt)) {
			return refusal(now);
		}
		HourlyBudget.Permit permit = this.budget.failedLogins().tryAcquire(now, 0);
		if (permit == null) {
			HourlyBudget logins = this.budget.failedLogins();
			this.nextAttemptAt = logins.nextFreeAt(now);
			return fail(Reason.BUDGET_EXHAUSTED,
					logins.used(now) + " failed logins in the last hour reached Tradovate's limit of " + logins.limit(),
					now);
		}
		LoginRequest request = (this.ticket != null) ? this.ticket.resend()
				: LoginRequest.of(this.account.credentials());
		log.info("Account {}: logging in to {}{}", id(), this.account.baseUrl(),
				(this.ticket != null) ? " with the penalty ticket" : "");
		this.ticket = null;
		this.state = SessionState.LOGGING_IN;
		return call(this.tradovate.login(this.account, request),
				(answer, at) -> afterLogin(answer, request, permit, at));
	}

	private CompletableFuture<HeldToken> startRenewal(HeldToken held, Instant now, int reserve) {
		if (now.isBefore(this.nextAttemptAt)) {
			return refusal(now);
		}
		HourlyBudget renewals = this.budget.renewals();
		if (renewals.tryAcquire(now, reserve) == null) {
			String detail = renewals.used(now) + " renewals in the last hour"
					+ ((reserve > 0) ? " leave only the " + reserve + " kept for scheduled renewals"
							: " reached the limit of " + renewals.limit());
			if (this.renewalBudgetWarnedFor != held.revision() && reserve == 0) {
				this.renewalBudgetWarnedFor = held.revision();
				log.warn("Account {}: {}; token {} is served until it expires at {}, then the broker logs in again",
						id(), detail, held.fingerprint(), held.expiresAt());
			}
			return CompletableFuture.failedFuture(new TokenUnavailableException(Reason.BUDGET_EXHAUSTED,
					detail + "; the next renewal is possible at " + renewals.nextFreeAt(now),
					Duration.between(now, renewals.nextFreeAt(now))));
		}
		log.debug("Account {}: renewing token {} (expires at {})", id(), held.fingerprint(), held.expiresAt());
		this.state = SessionState.RENEWING;
		return call(this.tradovate.renew(this.account, held.accessToken()),
				(answer, at) -> afterRenewal(answer, held, at));
	}

	/**
	 * Sends one call and makes it the account's call in flight. Its answer is handled
	 * under the lock; callers see the outcome only after the state reflects it.
	 */
	private CompletableFuture<HeldToken> call(Mono<TradovateAnswer> request,
			BiFunction<TradovateAnswer, Instant, CompletableFuture<HeldToken>> handler) {
		CompletableFuture<HeldToken> result = new CompletableFuture<>();
		this.inFlight = result;
		request.subscribe((answer) -> settle(result, answer, handler), (error) -> settle(result,
				new TradovateAnswer.Failed("unexpected " + error.getClass().getSimpleName()), handler));
		return result;
	}

	private void settle(CompletableFuture<HeldToken> result, TradovateAnswer answer,
			BiFunction<TradovateAnswer, Instant, CompletableFuture<HeldToken>> handler) {
		CompletableFuture<HeldToken> outcome;
		synchronized (this.lock) {
			this.inFlight = null;
			outcome = handler.apply(answer, this.clock.instant());
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
			HourlyBudget.Permit permit, Instant now) {
		if (answer instanceof Granted granted) {
			// Tradovate counts failed logins only
			this.budget.failedLogins().refund(permit);
			return accept(granted.token(), null, now);
		}
		if (answer instanceof Penalized penalty) {
			return penalized(penalty, request, now);
		}
		if (answer instanceof Rejected rejected) {
			return coolDown(SessionState.REJECTED, Reason.CREDENTIALS_REJECTED,
					"Tradovate refused the login (" + rejected.reason() + ")", now);
		}
		if (answer instanceof LockedOut lockedOut) {
			return lockedOut(lockedOut, now);
		}
		return backOff("login failed: " + describe(answer), now);
	}

	private CompletableFuture<HeldToken> afterRenewal(TradovateAnswer answer, HeldToken renewed, Instant now) {
		if (answer instanceof Granted granted) {
			return accept(granted.token(), renewed, now);
		}
		if (answer instanceof Expired) {
			log.warn("Account {}: Tradovate no longer accepts token {} (HTTP 401 on renewal); logging in again", id(),
					renewed.fingerprint());
			this.tokens.invalidate(renewed);
			this.state = SessionState.STARTING;
			return startLogin(now);
		}
		if (answer instanceof Penalized penalty) {
			return penalized(penalty, null, now);
		}
		if (answer instanceof LockedOut lockedOut) {
			return lockedOut(lockedOut, now);
		}
		return backOff("renewal failed: " + describe(answer), now);
	}

	private CompletableFuture<HeldToken> accept(IssuedToken issued, HeldToken renewed, Instant now) {
		HeldToken token = HeldToken.of(id(), issued, renewed, ++this.revision, now);
		if (renewed == null) {
			this.tokens.put(token);
		}
		else if (!this.tokens.replace(renewed, token)) {
			log.warn("Account {}: renewed token {} arrived after a newer token replaced {}; discarded", id(),
					token.fingerprint(), renewed.fingerprint());
		}
		this.state = SessionState.VALID;
		this.failures = 0;
		this.nextAttemptAt = Instant.MIN;
		this.renewAt = this.policy.renewAt(token);
		this.lastSuccessAt = now;
		log.info("Account {}: {}; token {} valid until {} (lifetime {} s), renewal at {}", id(),
				(renewed == null) ? "logged in, new session" : "renewed " + renewed.fingerprint() + ", same session",
				token.fingerprint(), token.expiresAt(), token.lifetime().toSeconds(), this.renewAt);
		return CompletableFuture.completedFuture(token);
	}

	private CompletableFuture<HeldToken> penalized(Penalized penalty, LoginRequest request, Instant now) {
		if (penalty.captcha()) {
			return coolDown(SessionState.CAPTCHA_REQUIRED, Reason.CAPTCHA_REQUIRED,
					"Tradovate demands a captcha: a person must log in once on Tradovate's web platform, "
							+ "then an operator can resume the broker",
					now);
		}
		if (request != null && penalty.ticket() != null) {
			this.ticket = new PendingTicket(request, penalty.ticket());
		}
		this.state = SessionState.PENALIZED;
		this.events.waitImposed(id(), this.state);
		this.nextAttemptAt = now.plus(penalty.waitFor());
		String detail = "Tradovate imposed a penalty wait of " + penalty.waitFor().toSeconds() + " s; the broker "
				+ ((request != null) ? "then resends the login with its ticket" : "then retries the renewal");
		log.warn("Account {}: {}, at {}", id(), detail, this.nextAttemptAt);
		return fail(Reason.PENALIZED, detail, now);
	}

	private CompletableFuture<HeldToken> lockedOut(LockedOut lockedOut, Instant now) {
		String detail = (lockedOut.status() == 423) ? "Tradovate warns of an imminent lock-out (HTTP 423)"
				: "Tradovate locked this client out (HTTP 429)";
		return coolDown(SessionState.LOCKED_OUT, Reason.LOCKED_OUT, detail, now);
	}

	private CompletableFuture<HeldToken> coolDown(SessionState cooling, Reason reason, String detail, Instant now) {
		this.state = cooling;
		this.events.waitImposed(id(), cooling);
		this.failures++;
		this.ticket = null;
		this.nextAttemptAt = now.plus(this.policy.coolDown());
		log.error("Account {}: {}; no call to Tradovate for this account until {}", id(), detail, this.nextAttemptAt);
		return fail(reason, detail, now);
	}

	private CompletableFuture<HeldToken> backOff(String detail, Instant now) {
		this.failures++;
		Duration wait = this.policy.backOff(this.failures);
		this.state = SessionState.BACKING_OFF;
		this.nextAttemptAt = now.plus(wait);
		HeldToken held = this.tokens.get(id());
		log.warn("Account {}: {}; failure {} in a row, next attempt in {} ms{}", id(), detail, this.failures,
				wait.toMillis(),
				(held != null)
						? "; token " + held.fingerprint() + " is still served until it expires at " + held.expiresAt()
						: "");
		return fail(Reason.UPSTREAM_FAILED, detail, now);
	}

	private CompletableFuture<HeldToken> fail(Reason reason, String detail, Instant now) {
		this.lastFailure = new Failure(reason, detail, now);
		return refusal(now);
	}

	/** Why no call is made now, and when the next one may be. */
	private CompletableFuture<HeldToken> refusal(Instant now) {
		Failure failure = this.lastFailure;
		Duration wait = Duration.between(now, this.nextAttemptAt);
		if (wait.isNegative()) {
			wait = Duration.ZERO;
		}
		String when = wait.isZero() ? "" : "; next attempt at " + this.nextAttemptAt.truncatedTo(ChronoUnit.SECONDS)
				+ " (in " + Math.max(1, wait.toSeconds()) + " s)";
		return CompletableFuture
			.failedFuture(new TokenUnavailableException(failure.reason(), failure.detail() + when, wait));
	}

	private static String describe(TradovateAnswer answer) {
		if (answer instanceof TradovateAnswer.Failed failed) {
			return failed.reason();
		}
		if (answer instanceof Rejected rejected) {
			return rejected.reason();
		}
		return "unexpected answer " + answer.getClass().getSimpleName();
	}

	private static TokenUnavailableException asUnavailable(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (cause instanceof TokenUnavailableException unavailable) {
			return unavailable;
		}
		return new TokenUnavailableException(Reason.UPSTREAM_FAILED,
				"unexpected failure: " + cause.getClass().getSimpleName(), Duration.ofSeconds(1));
	}

	private record Failure(Reason reason, String detail, Instant at) {
	}

}
