package io.tokenbroker.caller;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * Access rules another feature adds to the callers' security chain, ahead of its default
 * (every other request needs a client key): say paths whose key comes later than the
 * request's headers. The chain's key check and lock-out still apply to every request that
 * presents a key.
 */
@FunctionalInterface
public interface CallerAccessRules {

	/** Adds the rules, before the chain's last one. */
	void addTo(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);

}
