package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;

import io.tokenbroker.session.SessionAction.Call;
import io.tokenbroker.session.SessionAction.Offer;
import io.tokenbroker.session.SessionAction.Read;
import io.tokenbroker.session.SessionAction.Write;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.WriteOutcome;
import io.tokenbroker.tradovate.TradovateAnswer;

/**
 * Something that happens to an account's session: a tick of the schedule, a caller's or
 * an operator's request, news from the store or the fleet, and the answer to each action
 * that asks something of Tradovate, its hourly allowance or the store (which carries the
 * action it answers).
 */
sealed interface SessionEvent {

	/** When it happened, and what this replica knew of the lease then. */
	Moment at();

	/**
	 * The time and the lease an event is decided with: decisions read no clock.
	 *
	 * @param now the broker's clock
	 * @param lease this replica's view of the account's lease
	 */
	record Moment(Instant now, LeaseState lease) {
	}

	/**
	 * The schedule's tick: write what the store missed, log in, renew or check when due.
	 */
	record Tick(Moment at) implements SessionEvent {
	}

	/**
	 * A caller wants a token valid for at least {@code minValidity}.
	 *
	 * @param minValidity how long the token must stay valid
	 * @param client the client asking, whose share a renewal it forces comes from, or
	 * {@code null} when it names none
	 */
	record TokenWanted(Moment at, Duration minValidity, String client) implements SessionEvent {

		/** A request that names no client. */
		TokenWanted(Moment at, Duration minValidity) {
			this(at, minValidity, null);
		}

	}

	/**
	 * A caller reports that Tradovate refused this token.
	 *
	 * @param token the access token reported, as the caller sent it
	 */
	record Reported(Moment at, String token) implements SessionEvent {

		@Override
		public String toString() {
			return "Reported[at=" + this.at + ", token=***]";
		}

	}

	/**
	 * Another replica's caller reported the token with this fingerprint refused.
	 *
	 * @param fingerprint the token's fingerprint
	 */
	record ReportedByPeer(Moment at, String fingerprint) implements SessionEvent {
	}

	/** The account's credentials were replaced by reloaded settings. */
	record CredentialsChanged(Moment at) implements SessionEvent {
	}

	/** An operator orders to act now, say after solving a captcha. */
	record ActNow(Moment at) implements SessionEvent {
	}

	/**
	 * The lease holder could not do what this replica asked.
	 *
	 * @param refusal why
	 */
	record HolderFailed(Moment at, Refusal refusal) implements SessionEvent {
	}

	/**
	 * What the store holds for the account, read at start, on a change notice or on the
	 * periodic read.
	 *
	 * @param mark the session's change count when the read was taken
	 * @param entry the stored entry, or {@code null} when the store holds none
	 */
	record StoreRead(Moment at, long mark, StoredEntry entry) implements SessionEvent {
	}

	/**
	 * The allowance counted the call.
	 *
	 * @param permit the call as counted, to settle once it answers
	 */
	record Permitted(Moment at, CallPlan plan, HourlyLedger.Permit permit) implements SessionEvent {
	}

	/**
	 * The allowance has no place for the call.
	 *
	 * @param allowance how it stands
	 */
	record BudgetRefused(Moment at, CallPlan plan, Allowance allowance) implements SessionEvent {
	}

	/**
	 * Tradovate answered a call (a network failure is an answer too).
	 *
	 * @param call the call answered
	 * @param answer its answer
	 */
	record Answered(Moment at, Call call, TradovateAnswer answer) implements SessionEvent {
	}

	/**
	 * The store answered a write.
	 *
	 * @param write the write
	 * @param outcome what came of it, or {@code null} when the store was unreachable
	 * @param unreachable why the store could not be reached, or {@code null}
	 */
	record Written(Moment at, Write write, WriteOutcome outcome, String unreachable) implements SessionEvent {
	}

	/**
	 * The store answered an offer of a record whose token is newer than any it holds.
	 *
	 * @param offer the offer
	 * @param accepted whether the store took it (not when unreachable)
	 */
	record Offered(Moment at, Offer offer, boolean accepted) implements SessionEvent {
	}

	/**
	 * The store answered a read after it refused this replica's record.
	 *
	 * @param read the read
	 * @param entry the stored entry, or {@code null} when the store holds none or was
	 * unreachable
	 * @param unreachable whether the store could not be reached
	 */
	record Reread(Moment at, Read read, StoredEntry entry, boolean unreachable) implements SessionEvent {
	}

	/**
	 * An hourly allowance as it stood when it refused a call.
	 *
	 * @param used calls counted in the rolling hour, those in flight included
	 * @param pending calls in flight among them
	 * @param limit calls allowed in any rolling hour
	 * @param nextFreeAt the earliest time a call that keeps the plan's reserve fits
	 * @param share whose allowance: Tradovate's, or the share of forced renewals of the
	 * client or of the account
	 */
	record Allowance(int used, int pending, int limit, Instant nextFreeAt, Share share) {

		/** Tradovate's own allowance. */
		Allowance(int used, int pending, int limit, Instant nextFreeAt) {
			this(used, pending, limit, nextFreeAt, Share.TRADOVATE);
		}

		/** Whose allowance refused a call. */
		enum Share {

			/** Tradovate's hourly limit. */
			TRADOVATE,

			/** The client's share of forced renewals. */
			CLIENT,

			/** The account's share of forced renewals. */
			ACCOUNT

		}

	}

}
