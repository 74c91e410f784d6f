package io.tokenbroker.session;

import java.time.Duration;

import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;
import io.tokenbroker.tradovate.TradovateAnswer.Expired;
import io.tokenbroker.tradovate.TradovateAnswer.Granted;
import io.tokenbroker.tradovate.TradovateAnswer.Identified;
import io.tokenbroker.tradovate.TradovateAnswer.LockedOut;
import io.tokenbroker.tradovate.TradovateAnswer.Penalized;
import io.tokenbroker.tradovate.TradovateAnswer.Rejected;

/**
 * What an answer from Tradovate means for an account's session, and whether it counts
 * against Tradovate's hourly allowance: the lifecycle acts on the verdict, never on the
 * answer itself (as spring-vault's {@code LeaseStrategy} decides what an error means for
 * a lease). A new rule about an answer is a change here, a row in the decision table.
 */
class AnswerPolicy {

	/** What the answer to one call means. */
	Verdict judge(Operation call, TradovateAnswer answer) {
		if (call == Operation.ME) {
			return judgeCheck(answer);
		}
		if (answer instanceof Granted granted) {
			return new Verdict.Accept(granted.token());
		}
		if (answer instanceof Penalized penalty) {
			return penalty.captcha()
					? new Verdict.CoolDown(SessionState.CAPTCHA_REQUIRED, Reason.CAPTCHA_REQUIRED,
							Refusals.captchaDemanded())
					: new Verdict.PenaltyWait(penalty, call == Operation.LOGIN,
							Refusals.penaltyWait(penalty.waitFor(), call == Operation.LOGIN));
		}
		if (answer instanceof LockedOut lockedOut) {
			return new Verdict.CoolDown(SessionState.LOCKED_OUT, Reason.LOCKED_OUT,
					Refusals.lockedOut(lockedOut.status()));
		}
		if (call == Operation.LOGIN && answer instanceof Rejected rejected) {
			return new Verdict.CoolDown(SessionState.REJECTED, Reason.CREDENTIALS_REJECTED,
					Refusals.loginRejected(rejected.reason()));
		}
		if (call == Operation.RENEW && answer instanceof Expired) {
			return new Verdict.SessionClosed();
		}
		if (call == Operation.RENEW && answer instanceof Rejected rejected) {
			return new Verdict.CheckSession(Refusals.callFailed("renewal", rejected.reason()));
		}
		return new Verdict.BackOff(
				Refusals.callFailed((call == Operation.LOGIN) ? "login" : "renewal", describe(answer)));
	}

	private Verdict judgeCheck(TradovateAnswer answer) {
		if (answer instanceof Identified) {
			return new Verdict.SessionOpen();
		}
		if (answer instanceof Expired) {
			return new Verdict.SessionClosed();
		}
		return new Verdict.CheckInconclusive(describe(answer),
				(answer instanceof Penalized penalty) ? penalty.waitFor() : null);
	}

	/**
	 * Whether the call stays counted against its hourly allowance once answered:
	 * Tradovate counts failed logins and failed checks only, and every renewal, of the
	 * calls it received; a call that never reached it counts for nothing.
	 */
	boolean counts(Operation call, TradovateAnswer answer) {
		if (answer instanceof TradovateAnswer.Unreached) {
			return false;
		}
		return switch (call) {
			case LOGIN -> !(answer instanceof Granted);
			case ME -> !(answer instanceof Identified);
			case RENEW -> true;
		};
	}

	/** An answer in words for a log line or a failure detail; never a secret. */
	static String describe(TradovateAnswer answer) {
		if (answer instanceof TradovateAnswer.Failed failed) {
			return failed.reason();
		}
		if (answer instanceof TradovateAnswer.Unreached unreached) {
			return unreached.reason();
		}
		if (answer instanceof Rejected rejected) {
			return rejected.reason();
		}
		return "unexpected answer " + answer.outcome();
	}

	/** What an answer means. */
	sealed interface Verdict {

		/** A new token: a new session after a login, the same one after a renewal. */
		record Accept(IssuedToken token) implements Verdict {
		}

		/** The check found the session open. */
		record SessionOpen() implements Verdict {
		}

		/** Tradovate no longer accepts the token: only a new login helps. */
		record SessionClosed() implements Verdict {
		}

		/**
		 * A penalty ticket without captcha: wait, then call again (a login resends its
		 * identical body with the ticket when {@code keepTicket}).
		 */
		record PenaltyWait(Penalized penalty, boolean keepTicket, String detail) implements Verdict {
		}

		/**
		 * No call to Tradovate for the cool-down: a captcha, a lock-out, refused
		 * credentials.
		 */
		record CoolDown(SessionState state, Reason reason, String detail) implements Verdict {
		}

		/**
		 * A renewal refused in words (HTTP 200 with an error text, as Tradovate may
		 * answer a dead token): one check of the session tells a closed session (a new
		 * login) from an open one (a failed renewal, retried after the back-off).
		 */
		record CheckSession(String detail) implements Verdict {
		}

		/** A failure worth a retry after the back-off. */
		record BackOff(String detail) implements Verdict {
		}

		/**
		 * A check that got no answer to go by: the token is still served; the next check
		 * waits {@code penaltyWait} when Tradovate said so, else one back-off step.
		 */
		record CheckInconclusive(String why, Duration penaltyWait) implements Verdict {
		}

	}

}
