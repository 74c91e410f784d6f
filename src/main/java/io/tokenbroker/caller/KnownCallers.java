package io.tokenbroker.caller;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * The rules by which a request is known to come from a client, in one place for Spring
 * Security's chain ({@link LockOutFilter}, then the key through
 * {@link BearerKeyConverter} and {@link CallerKeys}) and for the hot path of
 * {@code GET /token}, which asks {@link #recognize} without the chain. The hot path never
 * refuses and never counts a failure: whatever is not a known client's request is left to
 * the chain, which refuses it, records the failure and audits it.
 */
public class KnownCallers {

	private final CallerKeys keys;

	private final FailedAuthentications failures;

	private final ClientAddresses addresses;

	KnownCallers(CallerKeys keys, FailedAuthentications failures, ClientAddresses addresses) {
		this.keys = keys;
		this.failures = failures;
		this.addresses = addresses;
	}

	/**
	 * How long the request's address is still locked out, if the request presents
	 * credentials at all (a request without any, a health probe, is never locked out);
	 * zero when it may present them. A locked-out request is refused without a look at
	 * its key, so a guesser learns nothing, not even whether a key was right.
	 */
	Duration lockedFor(HttpServletRequest request) {
		if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
			return Duration.ZERO;
		}
		return this.failures.lockedFor(this.addresses.of(request));
	}

	/**
	 * The caller whose key the request presents, or {@code null} if the chain must decide
	 * (no key, a malformed or unknown one, a locked-out address).
	 */
	public Caller recognize(HttpServletRequest request) {
		if (!lockedFor(request).isZero()) {
			return null;
		}
		String key;
		try {
			key = BearerKeyConverter.key(request.getHeader(HttpHeaders.AUTHORIZATION));
		}
		catch (MalformedKeyException ex) {
			return null;
		}
		return (key != null) ? this.keys.identified(key) : null;
	}

}
