package io.tokenbroker.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.FastHttpDateFormat;
import org.apache.tomcat.util.http.MimeHeaders;

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
 * the broker holds, the answer is written here, in a valve of the application's Tomcat
 * context, before the servlet filters (Spring Security, the request observation) and
 * Spring MVC, with the same status, headers and body they would give. Every other request
 * (no token yet, a wait for Tradovate, a wrong key, a locked-out address, an unusual
 * {@code Accept} or query, every error) goes on to the filters as if this valve did not
 * exist, so it never refuses anything itself.
 * <p>
 * The headers go to Tomcat as bytes, encoded once: a header given as a {@code String} is
 * encoded with a new {@code CharsetEncoder} for its name and another for its value when
 * the response is written, which cost this path more than everything else it does. That
 * includes the two Tomcat would add itself: {@code Content-Type} (never set on the
 * response, so Tomcat leaves the header alone) and {@code Date} (Tomcat adds none when
 * one is there; the same text as Tomcat's, encoded once a second).
 */
final class HeldTokenValve extends ValveBase {

	/** What Spring Security writes on every response, and the controller's no-store. */
	private static final byte[][] SECURITY_HEADERS = ascii("X-Content-Type-Options", "nosniff", "X-XSS-Protection", "0",
			"Pragma", "no-cache", "Expires", "0", "X-Frame-Options", "DENY", HttpHeaders.CACHE_CONTROL, "no-store");

	private static final byte[] REQUEST_ID = ascii(RequestIds.HEADER)[0];

	private static final byte[] ETAG = ascii(HttpHeaders.ETAG)[0];

	private static final byte[] CONTENT_TYPE = ascii(HttpHeaders.CONTENT_TYPE)[0];

	private static final byte[] DATE = ascii(HttpHeaders.DATE)[0];

	private static final String PATH = "/token";

	private static final String MIN_VALIDITY = "minValidity=";

	private final TradovateAccounts accounts;

	private final AccountSessions sessions;

	private final KnownCallers callers;

	private final TokenBodies bodies;

	private final AuditTrail audit;

	private final Timers timers;

	private volatile HttpDate date = new HttpDate("", new byte[0]);

	HeldTokenValve(TradovateAccounts accounts, AccountSessions sessions, KnownCallers callers, TokenBodies bodies,
			AuditTrail audit, MeterRegistry meters) {
		super(true);
		this.accounts = accounts;
		this.sessions = sessions;
		this.callers = callers;
		this.bodies = bodies;
		this.audit = audit;
		this.timers = new Timers(meters);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		long start = System.nanoTime();
		if (!serve(request, response, start)) {
			getNext().invoke(request, response);
		}
	}

	private boolean serve(Request request, Response response, long start) throws IOException {
		// an asynchronous dispatch (or its error report) finishes a request the chain
		// took
		if (!"GET".equals(request.getMethod()) || request.isAsync() || request.isAsyncDispatching()) {
			return false;
		}
		Representation representation = Representation.accepting(request.getHeader(HttpHeaders.ACCEPT));
		long minValidity = minValidity(request.getQueryString());
		String path = path(request);
		String account = (path == null) ? null
				: (path.length() == PATH.length()) ? this.accounts.defaultAccount().orElse(null) : accountIn(path);
		if (representation == null || minValidity < 0 || account == null || RequestLimitsFilter.refusal(request,
				RequestLimitsFilter.headerSize(request.getCoyoteRequest().getMimeHeaders())) != null) {
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
		MimeHeaders headers = response.getCoyoteResponse().getMimeHeaders();
		add(headers, REQUEST_ID, requestId.getBytes(StandardCharsets.ISO_8859_1));
		add(headers, DATE, date());
		for (int i = 0; i < SECURITY_HEADERS.length; i += 2) {
			add(headers, SECURITY_HEADERS[i], SECURITY_HEADERS[i + 1]);
		}
		boolean named = path.length() > PATH.length();
		if (representation == Representation.JSON) {
			String etag = this.bodies.etag(token);
			add(headers, ETAG, etag.getBytes(StandardCharsets.ISO_8859_1));
			if (TokenTag.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
				response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
				this.audit.notModified(caller, token);
				this.timers.notModified(named).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				return true;
			}
		}
		byte[] body = (representation == Representation.JSON) ? this.bodies.json(token) : this.bodies.plain(token);
		response.setStatus(HttpServletResponse.SC_OK);
		add(headers, CONTENT_TYPE, representation.contentType);
		response.setContentLength(body.length);
		this.audit.issued(caller, token, request, requestId);
		response.getOutputStream().write(body);
		this.timers.ok(named).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		return true;
	}

	/**
	 * Tomcat writes header bytes as they are, without the check for control characters it
	 * makes on strings: every value here is the broker's own, or a request id that
	 * {@link RequestIds#accept} let through (letters, digits, {@code . _ -}).
	 */
	private static void add(MimeHeaders headers, byte[] name, byte[] value) {
		headers.addValue(name, 0, name.length).setBytes(value, 0, value.length);
	}

	/** Tomcat's {@code Date} text for this second, as bytes. */
	private byte[] date() {
		String now = FastHttpDateFormat.getCurrentDate();
		HttpDate last = this.date;
		if (!last.text().equals(now)) {
			last = new HttpDate(now, now.getBytes(StandardCharsets.ISO_8859_1));
			this.date = last;
		}
		return last.bytes();
	}

	private record HttpDate(String text, byte[] bytes) {
	}

	/** Header names and values, as the bytes Tomcat writes. */
	private static byte[][] ascii(String... texts) {
		byte[][] bytes = new byte[texts.length][];
		for (int i = 0; i < texts.length; i++) {
			bytes[i] = texts[i].getBytes(StandardCharsets.ISO_8859_1);
		}
		return bytes;
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

		private final byte[] contentType;

		Representation(String contentType) {
			this.contentType = ascii(contentType)[0];
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
