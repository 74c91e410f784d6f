package io.tokenbroker.api;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.KnownCallers;
import io.tokenbroker.operations.RequestIds;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.HeldToken;

/**
 * The hot path of {@code GET /token[/{account}]}: when a known client asks for a token
 * the broker holds, the answer is written here, before Spring Security, Spring MVC and
 * the request observation, with the same status, headers and body they would give. Every
 * other request (no token yet, a wait for Tradovate, a wrong key, a locked-out address,
 * an unusual {@code Accept} or query, every error) goes down the chain as if this filter
 * did not exist, so it never refuses anything itself.
 */
final class HeldTokenFilter implements Filter {

	/** What Spring Security writes on every response, and the controller's no-store. */
	private static final String[][] SECURITY_HEADERS = { { "X-Content-Type-Options", "nosniff" },
			{ "X-XSS-Protection", "0" }, { "Pragma", "no-cache" }, { "Expires", "0" }, { "X-Frame-Options", "DENY" },
			{ HttpHeaders.CACHE_CONTROL, "no-store" } };

	private static final String PATH = "/token";

	private static final String MIN_VALIDITY = "minValidity=";

	private final TradovateAccounts accounts;

	private final AccountSessions sessions;

	private final KnownCallers callers;

	private final TokenBodies bodies;

	private final AuditTrail audit;

	private final Timers timers;

	HeldTokenFilter(TradovateAccounts accounts, AccountSessions sessions, KnownCallers callers, TokenBodies bodies,
			AuditTrail audit, MeterRegistry meters) {
		this.accounts = accounts;
		this.sessions = sessions;
		this.callers = callers;
		this.bodies = bodies;
		this.audit = audit;
		this.timers = new Timers(meters);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		long start = System.nanoTime();
		HttpServletRequest http = (HttpServletRequest) request;
		if (!serve(http, (HttpServletResponse) response, start)) {
			chain.doFilter(request, response);
		}
	}

	private boolean serve(HttpServletRequest request, HttpServletResponse response, long start) throws IOException {
		if (!"GET".equals(request.getMethod())) {
			return false;
		}
		Representation representation = Representation.accepting(request.getHeader(HttpHeaders.ACCEPT));
		long minValidity = minValidity(request.getQueryString());
		String path = path(request);
		String account = (path == null) ? null
				: (path.length() == PATH.length()) ? this.accounts.defaultAccount().orElse(null) : accountIn(path);
		if (representation == null || minValidity < 0 || account == null
				|| RequestLimitsFilter.refusal(request) != null) {
			return false;
		}
		AccountSession session = this.sessions.find(account).orElse(null);
		Caller caller = (session != null) ? this.callers.recognize(request) : null;
		HeldToken token = (caller != null && caller.mayRead(account)) ? session.held(Duration.ofSeconds(minValidity))
				: null;
		if (token == null) {
			return false;
		}
		String requestId = RequestIds.accept(request.getHeader(RequestIds.HEADER));
		response.setHeader(RequestIds.HEADER, requestId);
		for (String[] header : SECURITY_HEADERS) {
			response.setHeader(header[0], header[1]);
		}
		boolean named = path.length() > PATH.length();
		if (representation == Representation.JSON) {
			String etag = this.bodies.etag(token);
			response.setHeader(HttpHeaders.ETAG, etag);
			if (TokenTag.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
				response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
				this.audit.notModified(caller, token);
				this.timers.notModified(named).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				return true;
			}
		}
		byte[] body = (representation == Representation.JSON) ? this.bodies.json(token) : this.bodies.plain(token);
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(representation.contentType);
		response.setContentLength(body.length);
		this.audit.issued(caller, token, request, requestId);
		response.getOutputStream().write(body);
		this.timers.ok(named).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		return true;
	}

	/** The path below the context path, if it is {@code /token} or {@code /token/...}. */
	private static String path(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		if (!uri.startsWith(PATH, context.length())) {
			return null;
		}
		String path = uri.substring(context.length());
		return (path.length() == PATH.length() || path.charAt(PATH.length()) == '/') ? path : null;
	}

	/**
	 * The account a {@code /token/{account}} path names, or {@code null} unless it is one
	 * plain segment: nothing to decode, no parameters.
	 */
	private static String accountIn(String path) {
		String id = path.substring(PATH.length() + 1);
		if (id.isEmpty() || id.indexOf('/') >= 0 || id.indexOf('%') >= 0 || id.indexOf(';') >= 0) {
			return null;
		}
		return id;
	}

	/** {@code minValidity} in seconds, 0 without a query, -1 for any other query. */
	static long minValidity(String query) {
		if (query == null) {
			return 0;
		}
		int digits = query.length() - MIN_VALIDITY.length();
		if (!query.startsWith(MIN_VALIDITY) || digits < 1 || digits > 5) {
			return -1;
		}
		long seconds = 0;
		for (int i = MIN_VALIDITY.length(); i < query.length(); i++) {
			char c = query.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			seconds = seconds * 10 + (c - '0');
		}
		return (seconds <= TokenController.LONGEST_MIN_VALIDITY) ? seconds : -1;
	}

	/** The two bodies {@code GET /token} answers, as content negotiation picks them. */
	enum Representation {

		JSON("application/json"), PLAIN("text/plain;charset=UTF-8");

		private final String contentType;

		Representation(String contentType) {
			this.contentType = contentType;
		}

		/**
		 * The body an {@code Accept} header asks for, or {@code null} when only content
		 * negotiation can tell (quality values, parameters, other types). Without a
		 * header, or with {@code *}{@code /*} alone, it is JSON; otherwise the first of
		 * {@code application/json} and {@code text/plain} listed wins, as in Spring MVC.
		 */
		static Representation accepting(String accept) {
			if (accept == null) {
				return JSON;
			}
			if (accept.indexOf(';') >= 0) {
				return null;
			}
			Representation first = null;
			int from = 0;
			while (from <= accept.length()) {
				int comma = accept.indexOf(',', from);
				int end = (comma >= 0) ? comma : accept.length();
				String type = accept.substring(from, end).strip();
				if (type.equalsIgnoreCase("application/json")) {
					first = (first != null) ? first : JSON;
				}
				else if (type.equalsIgnoreCase("text/plain")) {
					first = (first != null) ? first : PLAIN;
				}
				else if (!type.equals("*/*")) {
					return null;
				}
				from = end + 1;
			}
			return (first != null) ? first : JSON;
		}

	}

	/**
	 * The series Spring's request observation records for these answers, with the same
	 * tags.
	 */
	private static final class Timers {

		private final Timer ok;

		private final Timer okNamed;

		private final Timer notModified;

		private final Timer notModifiedNamed;

		Timers(MeterRegistry meters) {
			this.ok = timer(meters, PATH, 200, "SUCCESS");
			this.okNamed = timer(meters, PATH + "/{account}", 200, "SUCCESS");
			this.notModified = timer(meters, PATH, 304, "REDIRECTION");
			this.notModifiedNamed = timer(meters, PATH + "/{account}", 304, "REDIRECTION");
		}

		private static Timer timer(MeterRegistry meters, String uri, int status, String outcome) {
			return Timer.builder("http.server.requests")
				.tags("error", "none", "exception", "none", "method", "GET", "outcome", outcome, "status",
						Integer.toString(status), "uri", uri)
				.register(meters);
		}

		Timer ok(boolean named) {
			return named ? this.okNamed : this.ok;
		}

		Timer notModified(boolean named) {
			return named ? this.notModifiedNamed : this.notModified;
		}

	}

}
