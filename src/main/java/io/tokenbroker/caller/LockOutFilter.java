package io.tokenbroker.caller;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses every request that presents credentials from an address that is locked out
 * ({@link KnownCallers#lockedFor}), before the key is looked at. Requests without a key
 * (health probes) pass.
 */
class LockOutFilter extends OncePerRequestFilter {

	private final KnownCallers callers;

	private final HandlerExceptionResolver problems;

	LockOutFilter(KnownCallers callers, HandlerExceptionResolver problems) {
		this.callers = callers;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Duration lockedFor = this.callers.lockedFor(request);
		if (!lockedFor.isZero()) {
			this.problems.resolveException(request, response, null,
					new TooManyFailedAuthenticationsException(lockedFor));
			return;
		}
		chain.doFilter(request, response);
	}

}
