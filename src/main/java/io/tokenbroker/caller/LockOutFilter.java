package io.tokenbroker.caller;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses, without looking at the key, every keyed request from an address that is locked
 * out: a locked-out guesser learns nothing, not even whether a key was right. Requests
 * without a key (health probes) pass.
 */
class LockOutFilter extends OncePerRequestFilter {

	private final FailedAuthentications failures;

	private final ClientAddresses addresses;

	private final HandlerExceptionResolver problems;

	LockOutFilter(FailedAuthentications failures, ClientAddresses addresses, HandlerExceptionResolver problems) {
		this.failures = failures;
		this.addresses = addresses;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			Duration lockedFor = this.failures.lockedFor(this.addresses.of(request));
			if (!lockedFor.isZero()) {
				this.problems.resolveException(request, response, null,
						new TooManyFailedAuthenticationsException(lockedFor));
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
