package io.tokenbroker.session;

import java.time.Duration;

import io.tokenbroker.session.TokenUnavailableException.Reason;

/**
 * Why no token can be served now, as data: what a caller reads in a problem detail and
 * when to ask again. {@link Refusals} writes every one of them.
 *
 * @param reason why, as callers see it in a 503 (or 422, 429)
 * @param detail in words an operator can act on; never a secret
 * @param retryAfter when asking again makes sense
 */
record Refusal(Reason reason, String detail, Duration retryAfter) {

	static Refusal of(TokenUnavailableException unavailable) {
		return new Refusal(unavailable.reason(), unavailable.getMessage(), unavailable.retryAfter());
	}

	TokenUnavailableException exception() {
		return new TokenUnavailableException(this.reason, this.detail, this.retryAfter);
	}

}
