package io.tokenbroker.caller;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * The key a request presented, not yet checked. Never printed.
 */
class PresentedKey extends AbstractAuthenticationToken {

	private final String key;

	PresentedKey(String key) {
		super(List.of());
		this.key = key;
	}

	@Override
	public String getCredentials() {
		return this.key;
	}

	@Override
	public Object getPrincipal() {
		return "unidentified caller";
	}

	@Override
	public String toString() {
		return "PresentedKey[***]";
	}

}
