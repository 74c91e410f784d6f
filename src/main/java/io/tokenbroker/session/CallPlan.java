package io.tokenbroker.session;

import io.tokenbroker.tradovate.Operation;

/**
 * A call to Tradovate the lifecycle means to make: counted against its hourly allowance
 * first, then sent, then answered. It travels with the call, so that its answer is read
 * in the light of what was asked.
 */
sealed interface CallPlan {

	Operation operation();

	/** Where the lifecycle stands while the call is in flight. */
	SessionState state();

	/** Calls of the allowance the call must leave to others. */
	default int reserve() {
		return 0;
	}

	/**
	 * A login, which opens a new session.
	 *
	 * @param reason why the session is opened
	 */
	record Login(LoginReason reason) implements CallPlan {

		@Override
		public Operation operation() {
			return Operation.LOGIN;
		}

		@Override
		public SessionState state() {
			return SessionState.LOGGING_IN;
		}

	}

	/**
	 * A renewal of the token held, on the same session.
	 *
	 * @param held the token renewed
	 * @param reserve renewals of the hour kept for the schedule (none for the schedule's
	 * own)
	 * @param forced whether a caller forced it, so that it counts against the account's
	 * forced renewals once it goes
	 * @param client for a forced renewal, the client that forced it ({@code null}: none
	 * named)
	 */
	record Renewal(HeldToken held, int reserve, boolean forced, String client) implements CallPlan {

		/** A renewal no client forced. */
		Renewal(HeldToken held, int reserve, boolean forced) {
			this(held, reserve, forced, null);
		}

		@Override
		public Operation operation() {
			return Operation.RENEW;
		}

		@Override
		public SessionState state() {
			return SessionState.RENEWING;
		}

	}

	/**
	 * A check ({@code /auth/me}) that the token's session is still open.
	 *
	 * @param held the token checked
	 * @param ifClosed why the login happens when the session is closed
	 * @param renewalRefused when the check follows a renewal Tradovate refused with an
	 * error text, what that renewal's failure says (an open session backs off as that
	 * failed renewal); else {@code null}
	 */
	record Check(HeldToken held, LoginReason ifClosed, String renewalRefused) implements CallPlan {

		/** A check of its own, not after a refused renewal. */
		Check(HeldToken held, LoginReason ifClosed) {
			this(held, ifClosed, null);
		}

		/** How the broker learned of a revocation, when the check finds one. */
		RevocationCause cause() {
			if (this.renewalRefused != null) {
				return RevocationCause.RENEWAL;
			}
			return (this.ifClosed == LoginReason.REPORTED) ? RevocationCause.CALLER_REPORT
					: RevocationCause.LIVENESS_CHECK;
		}

		@Override
		public Operation operation() {
			return Operation.ME;
		}

		@Override
		public SessionState state() {
			return SessionState.CHECKING;
		}

	}

}
