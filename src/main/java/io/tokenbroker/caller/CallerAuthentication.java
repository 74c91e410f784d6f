package io.tokenbroker.caller;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An identified caller in Spring Security's context. Holds no key.
 */
class CallerAuthentication extends AbstractAuthenticationToken {

	static final String ADMIN = "ADMIN";

	private final Caller caller;

	CallerAuthentication(Caller caller) {
		super(caller.admin() ? List.of(new SimpleGrantedAuthority("ROLE_" + ADMIN)) : List.of());
		this.caller = caller;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Caller getPrincipal() {
		return this.caller;
	}

	@Override
	public String getName() {
		return this.caller.id();
	}

}
