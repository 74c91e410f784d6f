package io.tokenbroker.caller;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * Recognizes, without Spring Security's filter chain, a request that the chain would let
 * through as a known client: a well-formed bearer key of a configured client, from an
 * address that is not locked out. Anything else (no key, a wrong or malformed key, a
 * locked-out address) is left to the chain, which refuses it, records the failure and
 * audits it; so this never refuses and never counts anything.
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
	 * The caller whose key the request presents, or {@code null} if the chain must
	 * decide.
	 */
	public Caller recognize(HttpServletRequest request) {
		String key;
		try {
			key = BearerKeyConverter.key(request.getHeader(HttpHeaders.AUTHORIZATION));
		}
		catch (MalformedKeyException ex) {
			return null;
		}
		if (key == null || !this.failures.lockedFor(this.addresses.of(request)).isZero()) {
			return null;
		}
		return this.keys.identify(key).orElse(null);
	}

}
