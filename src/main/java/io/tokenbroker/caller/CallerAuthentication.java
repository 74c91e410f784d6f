package io.tokenbroker.caller;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An identified caller in Spring Security's context. Holds no key.
 */
class CallerAuthentication extends AbstractAuthenticationToken {

	static final String ADMIN = "ADMIN";

	static final String METRICS = "METRICS";

	private final Caller caller;

	CallerAuthentication(Caller caller) {
		super(roles(caller));
		this.caller = caller;
		setAuthenticated(true);
	}

	private static List<SimpleGrantedAuthority> roles(Caller caller) {
		List<SimpleGrantedAuthority> roles = new ArrayList<>();
		if (caller.admin()) {
			roles.add(new SimpleGrantedAuthority("ROLE_" + ADMIN));
		}
		if (caller.metrics()) {
			roles.add(new SimpleGrantedAuthority("ROLE_" + METRICS));
		}
		return roles;
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
