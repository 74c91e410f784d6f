package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.tokenbroker.session.SessionAction.ActAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskAgainAfterCall;
import io.tokenbroker.session.SessionAction.AwaitHolder;
import io.tokenbroker.session.SessionAction.FailAwaited;
import io.tokenbroker.session.SessionAction.Refuse;
import io.tokenbroker.session.SessionAction.Reply;
import io.tokenbroker.session.SessionAction.Serve;
import io.tokenbroker.session.SessionAction.WakeAwaited;

/**
 * The callers an account's session keeps waiting: those sharing the call in flight (and
 * the calls it leads to), and those of a replica without the lease awaiting the holder's
 * next token. Used under the session's lock; their futures complete only once it is
 * released, so that no caller's code runs under it.
 */
final class Callers {

	private final BiFunction<Duration, String, CompletableFuture<HeldToken>> tokenAgain;

	private final Supplier<CompletableFuture<HeldToken>> actAgain;

	private CompletableFuture<HeldToken> ofCall;

	private CompletableFuture<HeldToken> awaitingHolder;

	private final List<Runnable> completions = new ArrayList<>();

	/**
	 * @param tokenAgain asks for a token again, once a check answered
	 * @param actAgain gives the operator's order again, once a check answered
	 */
	Callers(BiFunction<Duration, String, CompletableFuture<HeldToken>> tokenAgain,
			Supplier<CompletableFuture<HeldToken>> actAgain) {
		this.tokenAgain = tokenAgain;
		this.actAgain = actAgain;
	}

	/**
	 * Runs an action that answers callers: a reply, or the token or failure those
	 * awaiting the lease holder hear.
	 * @param turn who hears a reply, or {@code null} for nobody
	 * @return whether the action was one
	 */
	boolean answer(SessionAction action, Turn turn) {
		if (action instanceof Reply reply) {
			if (turn != null) {
				reply(reply, turn);
			}
		}
		else if (action instanceof WakeAwaited wake) {
			wakeAwaiting(wake.token());
		}
		else if (action instanceof FailAwaited fail) {
			failAwaiting(fail.refusal());
		}
		else {
			return false;
		}
		return true;
	}

	/** A reply goes to the caller of the request (its first), or to those of the call. */
	private void reply(Reply reply, Turn turn) {
		if (!turn.caller) {
			settleCall(reply);
		}
		else if (turn.reply == null) {
			turn.reply = forCaller(reply);
		}
	}

	private CompletableFuture<HeldToken> forCaller(Reply reply) {
		if (reply instanceof Serve serve) {
			return CompletableFuture.completedFuture(serve.token());
		}
		if (reply instanceof Refuse refuse) {
			return CompletableFuture.failedFuture(refuse.refusal().exception());
		}
		if (reply instanceof AskAgainAfterCall again) {
			return ofCall().thenCompose((checked) -> this.tokenAgain.apply(again.minValidity(), again.client()));
		}
		if (reply instanceof ActAgainAfterCall) {
			return ofCall().thenCompose((checked) -> this.actAgain.get());
		}
		return (reply instanceof AwaitHolder) ? awaitingHolder() : ofCall();
	}

	/** The callers of the call in flight; a call about to go gets them. */
	CompletableFuture<HeldToken> ofCall() {
		if (this.ofCall == null) {
			this.ofCall = new CompletableFuture<>();
		}
		return this.ofCall;
	}

	/** The callers awaiting the lease holder's next token. */
	CompletableFuture<HeldToken> awaitingHolder() {
		if (this.awaitingHolder == null) {
			this.awaitingHolder = new CompletableFuture<>();
		}
		return this.awaitingHolder;
	}

	/**
	 * The callers of the call answered hear its outcome, unless it led to another call.
	 */
	private void settleCall(Reply reply) {
		CompletableFuture<HeldToken> callers = this.ofCall;
		if (callers == null || !(reply instanceof Serve || reply instanceof Refuse)) {
			return;
		}
		this.ofCall = null;
		this.completions.add((reply instanceof Serve serve) ? () -> callers.complete(serve.token())
				: () -> callers.completeExceptionally(((Refuse) reply).refusal().exception()));
	}

	private void wakeAwaiting(HeldToken token) {
		CompletableFuture<HeldToken> awaiting = this.awaitingHolder;
		this.awaitingHolder = null;
		if (awaiting != null) {
			this.completions.add(() -> awaiting.complete(token));
		}
	}

	private void failAwaiting(Refusal refusal) {
		CompletableFuture<HeldToken> awaiting = this.awaitingHolder;
		this.awaitingHolder = null;
		if (awaiting != null) {
			this.completions.add(() -> awaiting.completeExceptionally(refusal.exception()));
		}
	}

	/** Whether any caller waits for a call or for the lease holder. */
	boolean waiting() {
		return this.ofCall != null || this.awaitingHolder != null || !this.completions.isEmpty();
	}

	/** What was settled since the last call, to complete once the lock is released. */
	List<Runnable> settled() {
		if (this.completions.isEmpty()) {
			return List.of();
		}
		List<Runnable> settled = List.copyOf(this.completions);
		this.completions.clear();
		return settled;
	}

	/**
	 * A token a caller waits for: the answer itself when it is ready, else one that fails
	 * after {@code maxWait} (never the shared one) or when the token it brings does not
	 * last {@code minValidity}.
	 */
	static CompletableFuture<HeldToken> lasting(CompletableFuture<HeldToken> pending, Duration minValidity,
			Duration maxWait, Clock clock) {
		if (pending.isDone() && !pending.isCompletedExceptionally()) {
			return pending;
		}
		return within(pending.thenApply((token) -> {
			Duration remaining = token.remaining(clock.instant());
			if (remaining.compareTo(minValidity) < 0) {
				throw Refusals.expiresTooSoon(remaining, minValidity).exception();
			}
			return token;
		}), maxWait, "call");
	}

	/** The answer to a report: itself when it is ready, else within {@code maxWait}. */
	static CompletableFuture<HeldToken> checked(CompletableFuture<HeldToken> answer, Duration maxWait) {
		if (answer.isDone() && !answer.isCompletedExceptionally()) {
			return answer;
		}
		return within(answer, maxWait, "check");
	}

	/**
	 * A caller's wait: its timeout fails a copy, never the future others share (a
	 * report's short wait that joined a login must not fail the login's other callers).
	 */
	private static CompletableFuture<HeldToken> within(CompletableFuture<HeldToken> pending, Duration maxWait,
			String what) {
		return pending.copy().orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS).exceptionally((error) -> {
			throw (error instanceof TimeoutException || error.getCause() instanceof TimeoutException)
					? Refusals.notAnsweredWithin(maxWait, what).exception() : unavailable(error);
		});
	}

	private static TokenUnavailableException unavailable(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (cause instanceof TokenUnavailableException unavailable) {
			return unavailable;
		}
		return Refusals.unexpected(cause).exception();
	}

	/**
	 * Who hears the replies decided while one event and what follows it are handled: the
	 * caller of a request (the first reply is its answer), or the callers of the call
	 * answered.
	 */
	static final class Turn {

		private final boolean caller;

		private CompletableFuture<HeldToken> reply;

		private Turn(boolean caller) {
			this.caller = caller;
		}

		static Turn ofCaller() {
			return new Turn(true);
		}

		static Turn ofCall() {
			return new Turn(false);
		}

		/** The caller's answer. */
		CompletableFuture<HeldToken> reply() {
			if (this.reply == null) {
				throw new IllegalStateException("No answer was decided for a caller");
			}
			return this.reply;
		}

	}

}
