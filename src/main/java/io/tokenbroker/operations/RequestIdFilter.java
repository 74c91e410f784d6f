package io.tokenbroker.operations;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, in the MDC as {@code requestId} (so on every log line of the
 * request) and in the {@code X-Request-Id} response header (see {@link RequestIds}). Runs
 * again on async dispatches, where a waiting {@code /token} request is answered.
 */
final class RequestIdFilter extends OncePerRequestFilter {

	private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = (String) request.getAttribute(ATTRIBUTE);
		if (id == null) {
			id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
			request.setAttribute(ATTRIBUTE, id);
			response.setHeader(RequestIds.HEADER, id);
		}
		MDC.put(RequestIds.MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(RequestIds.MDC_KEY);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
