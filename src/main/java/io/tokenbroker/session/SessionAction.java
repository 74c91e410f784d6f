package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.WriteOutcome;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.Operation;

/**
 * What the session's shell does for a decision, in order: ask Tradovate, its hourly
 * allowance or the store (each answer comes back as an event), change this replica's
 * cache, tell operators, answer callers.
 */
sealed interface SessionAction {

	// Tradovate and its hourly allowances

	/**
	 * Counts a call against its allowance.
	 *
	 * @param plan the call
	 * @param answerBy when its answer is due at the latest, for a call that counts only
	 * if it fails (kept pending until then); {@code null} for one that counts at once
	 */
	record Spend(CallPlan plan, Instant answerBy) implements SessionAction {
	}

	/**
	 * Sends a call; its answer comes back as {@link SessionEvent.Answered}. Always the
	 * last action of its decision.
	 *
	 * @param permit the call as its allowance counted it
	 * @param request the body of a login, else {@code null}
	 */
	record Call(CallPlan plan, HourlyLedger.Permit permit, LoginRequest request) implements SessionAction {
	}

	/**
	 * A call counted while in flight answered: it stays counted or is given back.
	 *
	 * @param counts whether it stays counted
	 */
	record Settle(Operation operation, HourlyLedger.Permit permit, boolean counts) implements SessionAction {
	}

	/** Lets the schedule look at every account now: a login's place may be free. */
	record WakeSchedule() implements SessionAction {
	}

	// The store

	/**
	 * Writes the record under the lease's fencing number, from the revision last seen in
	 * the store.
	 *
	 * @param then what follows once the write settled
	 */
	record Write(StoredEntry entry, long expectedRevision, AfterCommit then) implements SessionAction {
	}

	/**
	 * Writes a record unless the store holds a newer token: after a refused write
	 * ({@code refused}), or to give back a record the store lost ({@code refused} is
	 * {@code null}).
	 */
	record Offer(StoredEntry entry, WriteOutcome refused, AfterCommit then) implements SessionAction {
	}

	/** Reads the store's record after it refused this replica's. */
	record Read(AfterCommit then) implements SessionAction {
	}

	// This replica's cache, read by the hot path

	/** Serves this token, replacing the account's. */
	record PutToken(HeldToken token) implements SessionAction {
	}

	/** Stops serving this token, unless a newer one replaced it. */
	record DropToken(HeldToken token) implements SessionAction {
	}

	/** Stops serving any token. */
	record RemoveToken() implements SessionAction {
	}

	// What operators see

	/**
	 * A line of the session's log, the account's id first.
	 *
	 * @param format as SLF4J formats it
	 * @param args its arguments
	 */
	record Log(Level level, String format, List<Object> args) implements SessionAction {

		/** The line as written. */
		String text() {
			return MessageFormatter.basicArrayFormat(this.format, this.args.toArray());
		}

	}

	/** {@link SessionEvents#loginStarted}. */
	record LoginStarted(LoginReason reason) implements SessionAction {
	}

	/** {@link SessionEvents#sessionChecked}. */
	record SessionChecked(String outcome) implements SessionAction {
	}

	/** {@link SessionEvents#tokenRevoked}. */
	record TokenRevoked(RevocationCause cause) implements SessionAction {
	}

	/** {@link SessionEvents#waitImposed}. */
	record WaitImposed(SessionState state) implements SessionAction {
	}

	/** {@link SessionEvents#storedTokenUnreadable}. */
	record StoredTokenUnreadable() implements SessionAction {
	}

	// Callers

	/**
	 * What the caller of a request gets or, while a call is answered, the callers who
	 * share it.
	 */
	sealed interface Reply extends SessionAction {

	}

	/** This token. */
	record Serve(HeldToken token) implements Reply {
	}

	/** No token, and why. */
	record Refuse(Refusal refusal) implements Reply {
	}

	/** The result of the call in flight (or of the calls it leads to). */
	record JoinCall() implements Reply {
	}

	/**
	 * Once the check in flight answered, a token valid for {@code minValidity} anew, for
	 * the same client.
	 */
	record AskAgainAfterCall(Duration minValidity, String client) implements Reply {

		AskAgainAfterCall(Duration minValidity) {
			this(minValidity, null);
		}

	}

	/** Once the check in flight answered, the operator's order anew. */
	record ActAgainAfterCall() implements Reply {
	}

	/** The next token the lease holder writes. */
	record AwaitHolder() implements Reply {
	}

	/** Asks the lease holder to act. */
	record AskHolder(PeerRequest request) implements SessionAction {
	}

	/** The holder's new token for the callers awaiting it. */
	record WakeAwaited(HeldToken token) implements SessionAction {
	}

	/** Why the callers awaiting the holder's token get none. */
	record FailAwaited(Refusal refusal) implements SessionAction {
	}

}
