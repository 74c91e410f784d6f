package io.tokenbroker.api;

import java.time.Duration;
import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.KnownCallers;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;

/**
 * Whether a {@code GET /token[/{account}]} is answered with a held token at once, and
 * how: the rules of the chain, each from its one home, put together for the hot path.
 * Each rule is the one the chain applies:
 * <ul>
 * <li>the request limits: {@link RequestLimitsFilter#refusal};
 * <li>the lock-out and the key: {@link KnownCallers} (the chain's {@code LockOutFilter},
 * key converter and key check);
 * <li>the account a path names and the caller's scope: {@link AccountAccess};
 * <li>{@code minValidity}: {@link MinValidity} (the bound of the controller's parameter);
 * <li>the representation: {@link Representations}, Spring MVC's own content negotiation
 * between the controller's mappings;
 * <li>the conditional request: {@link #notModified}, which the controller calls too.
 * </ul>
 * It never refuses: when a rule says no or cannot tell, the answer is {@code null} and
 * the chain answers, refusing with the reason and the audit that go with it.
 */
final class TokenGate {

	private final AccountAccess access;

	private final KnownCallers callers;

	private final Representations representations;

	private final TokenBodies bodies;

	private final Reading reading;

	TokenGate(AccountAccess access, KnownCallers callers, Representations representations, TokenBodies bodies,
			Reading reading) {
		this.access = access;
		this.callers = callers;
		this.representations = representations;
		this.bodies = bodies;
		this.reading = reading;
	}

	/**
	 * The held token to answer this request with, or {@code null} for the chain to
	 * decide. The cheap rules come first, the key check (a SHA-256) after them.
	 */
	Serve decide(HttpServletRequest request) {
		if (!"GET".equals(request.getMethod())) {
			return null;
		}
		String account = account(request.getRequestURI(), request.getContextPath().length());
		long minValidity = MinValidity.inQuery(request.getQueryString());
		if (account == null || minValidity < 0
				|| RequestLimitsFilter.refusal(request, this.reading.headerSize(request)) != null) {
			return null;
		}
		boolean named = !account.isEmpty();
		AccountSession session = this.access.find(named ? account : null);
		Caller caller = (session != null) ? this.callers.recognize(request) : null;
		if (caller == null || !caller.mayRead(session.id())) {
			return null;
		}
		Representation representation = this.representations.of(this.reading.lines(request, HttpHeaders.ACCEPT));
		HeldToken token = (representation != null) ? session.held(Duration.ofSeconds(minValidity)) : null;
		if (token == null) {
			return null;
		}
		boolean notModified = representation == Representation.JSON
				&& notModified(this.reading.lines(request, HttpHeaders.IF_NONE_MATCH), this.bodies.etag(token));
		return new Serve(caller, token, representation, named, notModified);
	}

	/**
	 * Whether the caller holds this token already (304), its JSON answer: an
	 * {@code If-None-Match} line names its entity tag. Every line counts, as one list.
	 * @param ifNoneMatch the lines, joined with line feeds, or {@code null}
	 */
	static boolean notModified(String ifNoneMatch, String etag) {
		return TokenTag.matches(ifNoneMatch, etag);
	}

	/**
	 * The account a {@code /token} path names below the context path: {@code ""} for
	 * {@code /token} itself (the default account), the id for {@code /token/{id}} when it
	 * is one plain segment (nothing to decode, no parameters), else {@code null}.
	 */
	static String account(String uri, int contextLength) {
		String path = TokenController.PATH;
		if (!uri.startsWith(path, contextLength)) {
			return null;
		}
		int end = contextLength + path.length();
		if (uri.length() == end) {
			return "";
		}
		if (uri.charAt(end) != '/' || uri.length() == end + 1) {
			return null;
		}
		for (int i = end + 1; i < uri.length(); i++) {
			char c = uri.charAt(i);
			if (c == '/' || c == '%' || c == ';') {
				return null;
			}
		}
		return uri.substring(end + 1);
	}

	/**
	 * Every line of a header, joined with line feeds (which no line holds), as the
	 * servlet API gives them; {@code null} without one.
	 */
	static String lines(HttpServletRequest request, String name) {
		Enumeration<String> lines = request.getHeaders(name);
		String joined = lines.hasMoreElements() ? lines.nextElement() : null;
		while (lines.hasMoreElements()) {
			joined = joined + '\n' + lines.nextElement();
		}
		return joined;
	}

	/**
	 * How the gate reads a request: as the servlet API has it ({@link #SERVLET}), or as
	 * the hot path does, from Tomcat's bytes without a copy.
	 */
	interface Reading {

		Reading SERVLET = new Reading() {

			@Override
			public String lines(HttpServletRequest request, String name) {
				return TokenGate.lines(request, name);
			}

			@Override
			public long headerSize(HttpServletRequest request) {
				return RequestLimitsFilter.headerSize(request);
			}

		};

		/** Every line of a header, as {@link TokenGate#lines} joins them. */
		String lines(HttpServletRequest request, String name);

		/** The size of the headers, as {@link RequestLimitsFilter#refusal} counts it. */
		long headerSize(HttpServletRequest request);

	}

	/**
	 * A held token to answer with.
	 *
	 * @param named whether the path named the account ({@code /token/{account}})
	 * @param notModified whether the answer is 304
	 */
	record Serve(Caller caller, HeldToken token, Representation representation, boolean named, boolean notModified) {

	}

}
