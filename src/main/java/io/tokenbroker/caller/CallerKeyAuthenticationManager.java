package io.tokenbroker.caller;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Turns a presented key into the caller it belongs to, or refuses it.
 */
class CallerKeyAuthenticationManager implements AuthenticationManager {

	private final CallerKeys keys;

	CallerKeyAuthenticationManager(CallerKeys keys) {
		this.keys = keys;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String key = ((PresentedKey) authentication).getCredentials();
		return this.keys.identify(key)
			.map(CallerAuthentication::new)
			.orElseThrow(() -> new BadCredentialsException("the bearer key is not a known client key"));
	}

}
