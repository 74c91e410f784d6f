package io.tokenbroker.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

import io.tokenbroker.operations.RequestIds;

/**
 * The hot path of {@code GET /token[/{account}]}: when {@link TokenGate} finds a held
 * token for a known client, the answer is written here, in a valve of the application's
 * Tomcat context, before the servlet filters and Spring MVC, with the status, headers and
 * bytes they would give; everything else goes on to them as if this valve did not exist,
 * so it never refuses anything itself. It answers nothing until it is started, once
 * Spring's components can be asked for what it writes (see
 * {@link TokenApiConfiguration}).
 * <p>
 * The headers go to Tomcat as bytes, encoded once: a header given as a {@code String} is
 * encoded with a new {@code CharsetEncoder} for its name and another for its value when
 * the response is written, which cost this path more than everything else it does. That
 * includes the two Tomcat would add itself: {@code Content-Type} (never set on the
 * response, so Tomcat leaves the header alone) and {@code Date} (Tomcat adds none when
 * one is there; the same text as Tomcat's, encoded once a second).
 */
final class HeldTokenValve extends ValveBase {

	/**
	 * Every filter that a {@code GET /token} passes on the full path (the servlet filters
	 * and the security chain's), by class, and why the hot path gives the same answer
	 * without it. {@code HeldTokenValveFilterGuardTests} fails on any other.
	 */
	static final Map<String, String> EQUIVALENT_FILTERS = Map.ofEntries(
			Map.entry("org.apache.tomcat.websocket.server.WsFilter",
					"takes WebSocket upgrades of the paths of registered endpoints only, which /token is not"),
			Map.entry("org.springframework.boot.servlet.filter.OrderedCharacterEncodingFilter",
					"sets the request's encoding, for parameters and a body the hot path never reads"),
			Map.entry("org.springframework.web.filter.ServerHttpObservationFilter",
					"observes the request: AnswerTimers records the same timer, derived from its convention"),
			Map.entry("io.tokenbroker.operations.RequestIdFilter",
					"RequestIds.accept on the same header; the hot path writes no log line but the audit's, "
							+ "which carries the id"),
			Map.entry("io.tokenbroker.api.RequestLimitsFilter",
					"RequestLimitsFilter.refusal: the hot path leaves every request it refuses to it"),
			Map.entry("org.springframework.boot.servlet.filter.OrderedFormContentFilter",
					"reads form bodies of PUT, PATCH and DELETE requests only"),
			Map.entry("org.springframework.boot.servlet.filter.OrderedRequestContextFilter",
					"exposes the request to Spring MVC's thread-bound lookups, which the hot path makes none of"),
			Map.entry("org.springframework.security.web.session.DisableEncodeUrlFilter",
					"keeps session ids out of URLs; the hot path writes none"),
			Map.entry("org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter",
					"carries the security context into asynchronous handling; the hot path answers at once"),
			Map.entry("org.springframework.security.web.context.SecurityContextHolderFilter",
					"loads the (stateless, empty) security context; the hot path needs none"),
			Map.entry("org.springframework.security.web.header.HeaderWriterFilter",
					"writes the security headers: AnswerHeaders runs its writers at start-up"),
			Map.entry("io.tokenbroker.caller.LockOutFilter", "KnownCallers.lockedFor, which the hot path asks too"),
			Map.entry("org.springframework.security.web.authentication.AuthenticationFilter",
					"the key check through BearerKeyConverter and CallerKeys, which KnownCallers.recognize makes"),
			Map.entry("org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter",
					"gives the servlet API's security methods to the request, which the hot path never calls"),
			Map.entry("org.springframework.security.web.authentication.AnonymousAuthenticationFilter",
					"makes a request without a key anonymous; the hot path answers only known callers"),
			Map.entry("org.springframework.security.web.session.SessionManagementFilter",
					"applies the session strategy to a new authentication: none, the chain is stateless"),
			Map.entry("org.springframework.security.web.access.ExceptionTranslationFilter",
					"turns the chain's refusals into answers; the hot path refuses nothing"),
			Map.entry("org.springframework.security.web.access.intercept.AuthorizationFilter",
					"lets only authenticated callers at /token, as the hot path answers only known callers"));

	/** The array Tomcat allocates for a number it writes into a header value. */
	private static final int TOMCAT_NUMBER_ROOM = 32;

	private static final byte[] REQUEST_ID = ascii(RequestIds.HEADER);

	private static final byte[] ETAG = ascii(HttpHeaders.ETAG);

	private static final byte[] CONTENT_TYPE = ascii(HttpHeaders.CONTENT_TYPE);

	private static final byte[] DATE = ascii(HttpHeaders.DATE);

	private final TokenBodies bodies;

	private final AuditTrail audit;

	private volatile Answering started;

	/** {@code null} while the chain answers everything. */
	private volatile Answering answering;

	private volatile HttpDate date = new HttpDate("", new byte[0]);

	HeldTokenValve(TokenBodies bodies, AuditTrail audit) {
		super(true);
		this.bodies = bodies;
		this.audit = audit;
	}

	/**
	 * Starts answering held tokens.
	 * @param traced whether spans are exported: a request that carries a caller's trace
	 * context then goes on to the chain, whose observation continues the caller's trace
	 */
	void start(TokenGate gate, AnswerHeaders headers, AnswerTimers timers, boolean traced) {
		this.started = new Answering(gate, headers, timers, traced);
		this.answering = this.started;
	}

	/**
	 * Whether to answer held tokens once started, or to leave everything to the chain.
	 */
	void answer(boolean held) {
		this.answering = held ? this.started : null;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		long start = System.nanoTime();
		Answering answering = this.answering;
		// an asynchronous dispatch (or its error report) finishes a request the chain
		// took
		if (answering == null || request.isAsync() || request.isAsyncDispatching()
				|| !serve(answering, request, response, start)) {
			getNext().invoke(request, response);
		}
	}

	private boolean serve(Answering answering, Request request, Response response, long start) throws IOException {
		if (answering.traced() && carriesTraceContext(request)) {
			return false;
		}
		TokenGate.Serve serve = answering.gate().decide(request);
		if (serve == null) {
			return false;
		}
		String requestId = RequestIds.accept(request.getHeader(RequestIds.HEADER));
		MimeHeaders headers = response.getCoyoteResponse().getMimeHeaders();
		add(headers, REQUEST_ID, requestId.getBytes(StandardCharsets.ISO_8859_1));
		addShared(headers, DATE, date());
		byte[][] fixed = answering.headers().of(request.isSecure(), serve.notModified());
		for (int i = 0; i < fixed.length; i += 2) {
			addShared(headers, fixed[i], fixed[i + 1]);
		}
		Representation representation = serve.representation();
		if (representation == Representation.JSON) {
			addShared(headers, ETAG, this.bodies.etagBytes(serve.token()));
		}
		Timer timer = answering.timers().of(serve.named(), serve.notModified());
		if (serve.notModified()) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			this.audit.notModified(serve.caller(), serve.token());
		}
		else {
			byte[] body = (representation == Representation.JSON) ? this.bodies.json(serve.token())
					: this.bodies.plain(serve.token());
			response.setStatus(HttpServletResponse.SC_OK);
			addShared(headers, CONTENT_TYPE, representation.contentTypeBytes());
			response.setContentLength(body.length);
			this.audit.issued(serve.caller(), serve.token(), request, requestId);
			response.getOutputStream().write(body);
		}
		if (timer != null) {
			timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
		return true;
	}

	/**
	 * A request as Tomcat read it: the lines of a header and the size of all, without
	 * making strings of other headers or an enumeration of their values.
	 */
	static final TokenGate.Reading READING = new TokenGate.Reading() {

		@Override
		public String lines(HttpServletRequest request, String name) {
			MimeHeaders headers = ((Request) request).getCoyoteRequest().getMimeHeaders();
			String lines = null;
			for (int i = 0; i < headers.size(); i++) {
				if (headers.getName(i).equalsIgnoreCase(name)) {
					String line = headers.getValue(i).toString();
					lines = (lines != null) ? lines + '\n' + line : line;
				}
			}
			return lines;
		}

		@Override
		public long headerSize(HttpServletRequest request) {
			return RequestLimitsFilter.headerSize(((Request) request).getCoyoteRequest().getMimeHeaders());
		}

	};

	/**
	 * Tomcat writes header bytes as they are, without the check for control characters it
	 * makes on strings: every value here is the broker's own, Spring Security's, or a
	 * request id that {@link RequestIds#accept} let through (letters, digits,
	 * {@code . _ -}).
	 */
	private static void add(MimeHeaders headers, byte[] name, byte[] value) {
		headers.addValue(name, 0, name.length).setBytes(value, 0, value.length);
	}

	/**
	 * The same for bytes every answer shares. Tomcat keeps a header's array when it
	 * recycles the header for the next response, and writes a {@code Content-Length} into
	 * it when it has room for 32 digits ({@code MessageBytes.setLong}): a shared value
	 * that long (HSTS over TLS, say) is handed over as a copy, or every later answer
	 * would carry a number in its place.
	 */
	static void addShared(MimeHeaders headers, byte[] name, byte[] value) {
		add(headers, name, (value.length < TOMCAT_NUMBER_ROOM) ? value : value.clone());
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

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private record HttpDate(String text, byte[] bytes) {
	}

	/** What the valve needs once started. */
	/** W3C Trace Context or B3, the propagation formats the broker reads. */
	private static boolean carriesTraceContext(Request request) {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		return headers.getHeader("traceparent") != null || headers.getHeader("b3") != null
				|| headers.getHeader("X-B3-TraceId") != null;
	}

	private record Answering(TokenGate gate, AnswerHeaders headers, AnswerTimers timers, boolean traced) {
	}

}
