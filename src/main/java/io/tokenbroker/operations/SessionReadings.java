package io.tokenbroker.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.tokenbroker.session.SessionSnapshot;
import io.tokenbroker.session.SessionState;

/**
 * What operators read off a {@link SessionSnapshot}, the same way in health details,
 * metrics and the admin endpoint.
 */
final class SessionReadings {

	/** States in which Tradovate made the account wait. */
	private static final Set<SessionState> WAITS_IMPOSED = EnumSet.of(SessionState.PENALIZED,
			SessionState.CAPTCHA_REQUIRED, SessionState.LOCKED_OUT, SessionState.REJECTED);

	private SessionReadings() {
	}

	/** Whole seconds before the served token expires; 0 when none is served. */
	static long secondsLeft(SessionSnapshot session, Instant now) {
		return (session.expiresAt() != null) ? Math.max(0, Duration.between(now, session.expiresAt()).toSeconds()) : 0;
	}

	/** Whether callers get a token now (else they get 503). */
	static boolean serving(SessionSnapshot session) {
		return session.expiresAt() != null;
	}

	/** Whether the account waits out a cool-down or a penalty wait right now. */
	static boolean coolingDown(SessionSnapshot session, Instant now) {
		return WAITS_IMPOSED.contains(session.state()) && session.nextAttemptAt() != null
				&& now.isBefore(session.nextAttemptAt());
	}

}
