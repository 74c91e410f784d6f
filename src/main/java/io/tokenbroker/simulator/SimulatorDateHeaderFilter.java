package io.tokenbroker.simulator;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * Stamps every simulator response with a {@code Date} header from the simulator's clock
 * (Tomcat then leaves it alone), so the broker can measure the skew of the server's
 * clock. Runs again on the async dispatch of a delayed reply, to date it when it is sent.
 */
class SimulatorDateHeaderFilter extends HttpFilter {

	private final SimulatedTradovate tradovate;

	SimulatorDateHeaderFilter(SimulatedTradovate tradovate) {
		this.tradovate = tradovate;
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!response.isCommitted()) {
			response.setDateHeader(HttpHeaders.DATE, this.tradovate.now().toEpochMilli());
		}
		chain.doFilter(request, response);
	}

}
