package io.tokenbroker.session;

import java.time.Instant;

/**
 * What follows once a record is written to the store, or once the store's own record
 * replaced it: decided then, from the model as it then stands.
 */
sealed interface AfterCommit {

	/**
	 * A new token: served once its record is written, discarded when another replica's
	 * record won.
	 *
	 * @param token the new token
	 * @param renewed the token it renews, or {@code null} after a login
	 * @param renewAt when its renewal is scheduled
	 */
	record Accept(HeldToken token, HeldToken renewed, Instant renewAt) implements AfterCommit {
	}

	/** The account waits: its callers hear why and until when. */
	record Refuse() implements AfterCommit {
	}

	/**
	 * The token is gone: one login.
	 *
	 * @param reason why
	 */
	record LogIn(LoginReason reason) implements AfterCommit {
	}

	/**
	 * A check found the session open: the token held now is served, else the one checked.
	 *
	 * @param checked the token checked
	 */
	record ServeHeld(HeldToken checked) implements AfterCommit {
	}

	/** The rest of the schedule's tick, once what the store missed is written. */
	record Maintain() implements AfterCommit {
	}

}
