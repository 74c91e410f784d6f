package io.tokenbroker.tradovate;

import java.time.Duration;
import java.util.Locale;

/**
 * Every way Tradovate (or the network on the way) can answer a login, renewal or
 * {@code /auth/me}.
 */
public sealed interface TradovateAnswer {

	/**
	 * The kind of answer, as a metric tag: {@code granted}, {@code penalized},
	 * {@code rejected}, {@code expired}, {@code locked_out}, {@code identified},
	 * {@code failed} or {@code unreached}.
	 */
	default String outcome() {
		return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

	/** A token: the request succeeded. */
	record Granted(IssuedToken token) implements TradovateAnswer {
	}

	/**
	 * The request was not processed: wait {@code waitFor}, then resend the identical
	 * login with the ticket; with {@code captcha} a human must solve a captcha first.
	 */
	record Penalized(String ticket, Duration waitFor, boolean captcha) implements TradovateAnswer {

		@Override
		public String toString() {
			return "Penalized[waitFor=" + this.waitFor + ", captcha=" + this.captcha + "]";
		}

	}

	/**
	 * A login refused (error text, violations or HTTP 401): retrying will not help; or a
	 * renewal refused with an error text or violations in an HTTP 200, which may mean the
	 * session is gone.
	 */
	record Rejected(String reason) implements TradovateAnswer {
	}

	/**
	 * HTTP 401 on a renewal or {@code /auth/me}, or HTTP 200 with an {@code errorText} on
	 * {@code /auth/me}: the token is dead, only a login helps.
	 */
	record Expired() implements TradovateAnswer {
	}

	/** HTTP 423 (about to be locked out) or 429 (locked out for about an hour). */
	record LockedOut(int status) implements TradovateAnswer {
	}

	/** {@code /auth/me} answered: the token is accepted. */
	record Identified(long userId, String name) implements TradovateAnswer {
	}

	/**
	 * Anything else Tradovate may have received: a timeout or a connection lost after the
	 * request was sent, 5xx, a malformed answer. Worth a retry later.
	 */
	record Failed(String reason) implements TradovateAnswer {
	}

	/**
	 * The request never reached Tradovate: the connection was refused or timed out, the
	 * host name did not resolve, or the TLS handshake failed, all before a byte of the
	 * request was sent. Tradovate cannot have counted it; an outage, worth a retry later.
	 */
	record Unreached(String reason) implements TradovateAnswer {
	}

}
