package io.tokenbroker.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.MDC;

import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tokenbroker.account.SettingsException;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.session.SessionProperties;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * {@code GET /token[/{account}]}: the current access token, as JSON or as plain text, and
 * {@code POST /token[/{account}]/refused}. A held token is normally answered before this
 * controller ({@link HeldTokenValve}); here it is answered at once too, and callers that
 * must wait for Tradovate wait asynchronously, holding no request thread.
 */
@RestController
@PartOf(Feature.BROKER)
class TokenController {

	/** The token of the default account. */
	static final String PATH = "/token";

	/** The token of a named account. */
	static final String NAMED_PATH = PATH + "/{account}";

	/**
	 * What every token answer says about caching, 200 or 304: never keep it. Pragma and
	 * Expires too, because Spring Security adds them only when no Cache-Control is set
	 * before the response is committed, which is the case only after a wait.
	 */
	static final HttpHeaders NO_STORE = noStore();

	/** Tomcat's own limit on an asynchronous request when Spring MVC sets none. */
	static final Duration CONTAINER_ASYNC_TIMEOUT = Duration.ofSeconds(30);

	private final AccountAccess access;

	private final Duration waitForToken;

	private final TokenBodies bodies;

	private final AuditTrail audit;

	TokenController(AccountAccess access, SessionProperties properties, TokenBodies bodies, AuditTrail audit,
			WebMvcProperties mvc) {
		Duration asyncTimeout = (mvc.getAsync().getRequestTimeout() != null) ? mvc.getAsync().getRequestTimeout()
				: CONTAINER_ASYNC_TIMEOUT;
		if (properties.waitForToken().compareTo(asyncTimeout) >= 0) {
			// the server would end the wait first, with no reason and no Retry-After
			throw new SettingsException(
					"broker.wait-for-token (" + properties.waitForToken().toMillis()
							+ " ms) must be shorter than the asynchronous request timeout (" + asyncTimeout.toMillis()
							+ " ms, spring.mvc.async.request-timeout)",
					"Shorten broker.wait-for-token, or raise spring.mvc.async.request-timeout above it.", null);
		}
		this.access = access;
		this.waitForToken = properties.waitForToken();
		this.bodies = bodies;
		this.audit = audit;
	}

	@GetMapping(path = { PATH, NAMED_PATH }, produces = MediaType.APPLICATION_JSON_VALUE)
	Object json(@PathVariable(required = false) String account,
			@RequestParam(defaultValue = "0") @Min(0) @Max(MinValidity.LONGEST) long minValidity,
			@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
		// every If-None-Match line, read now: the answer may come on another thread
		String ifNoneMatch = TokenGate.lines(request, HttpHeaders.IF_NONE_MATCH);
		return answer(fetch(account, minValidity, caller, request),
				(token) -> jsonResponse(token, ifNoneMatch, caller, request));
	}

	@GetMapping(path = { PATH, NAMED_PATH }, produces = MediaType.TEXT_PLAIN_VALUE)
	Object plain(@PathVariable(required = false) String account,
			@RequestParam(defaultValue = "0") @Min(0) @Max(MinValidity.LONGEST) long minValidity,
			@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
		return answer(fetch(account, minValidity, caller, request), (token) -> {
			this.audit.issued(caller, token, request);
			// bytes, not a String: Spring logs a String body at DEBUG (a token)
			return ok(Representation.PLAIN).body(this.bodies.plain(token));
		});
	}

	/**
	 * {@code POST /token[/{account}]/refused}: a caller tells the broker that Tradovate
	 * refused this token (the body: the token as text, or {@code {"accessToken": "..."}})
	 * and gets a token that works, in the same shape as {@code GET /token}.
	 */
	@PostMapping(path = { "/token/refused", "/token/{account}/refused" },
			consumes = { MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE },
			produces = MediaType.APPLICATION_JSON_VALUE)
	Object refused(@PathVariable(required = false) String account, @RequestBody byte[] body,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType type, @AuthenticationPrincipal Caller caller,
			HttpServletRequest request) {
		String reported = RefusedToken.read(body, type);
		AccountSession session = this.access.session(account, caller, request);
		return answer(session.report(reported, this.waitForToken),
				(token) -> jsonResponse(token, null, caller, request));
	}

	private CompletableFuture<HeldToken> fetch(String account, long minValidity, Caller caller,
			HttpServletRequest request) {
		// a renewal the caller forces comes from its client's share
		return this.access.session(account, caller, request)
			.token(Duration.ofSeconds(minValidity), this.waitForToken, (caller != null) ? caller.id() : null);
	}

	/** 200 with the token, or 304 when the caller holds it already. */
	private ResponseEntity<byte[]> jsonResponse(HeldToken token, String ifNoneMatch, Caller caller,
			HttpServletRequest request) {
		String etag = this.bodies.etag(token);
		if (TokenGate.notModified(ifNoneMatch, etag)) {
			this.audit.notModified(caller, token);
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).headers(NO_STORE).eTag(etag).build();
		}
		this.audit.issued(caller, token, request);
		return ok(Representation.JSON).eTag(etag).body(this.bodies.json(token));
	}

	private static ResponseEntity.BodyBuilder ok(Representation representation) {
		return ResponseEntity.ok().headers(NO_STORE).contentType(representation.contentType());
	}

	private static HttpHeaders noStore() {
		HttpHeaders headers = new HttpHeaders();
		headers.setCacheControl(CacheControl.noStore());
		headers.set(HttpHeaders.PRAGMA, "no-cache");
		headers.set(HttpHeaders.EXPIRES, "0");
		return HttpHeaders.readOnlyHttpHeaders(headers);
	}

	/**
	 * The response itself when the token is there; else, so that only a wait goes through
	 * an asynchronous dispatch, its future (Spring MVC handles a return value by its
	 * type), answered on another thread with this request's logging context.
	 */
	private static Object answer(CompletableFuture<HeldToken> token,
			Function<HeldToken, ResponseEntity<byte[]>> response) {
		if (token.isDone() && !token.isCompletedExceptionally()) {
			return response.apply(token.join());
		}
		Map<String, String> context = MDC.getCopyOfContextMap();
		return token.thenApply((held) -> {
			Map<String, String> previous = MDC.getCopyOfContextMap();
			MDC.setContextMap((context != null) ? context : Map.of());
			try {
				return response.apply(held);
			}
			finally {
				MDC.setContextMap((previous != null) ? previous : Map.of());
			}
		});
	}

}
