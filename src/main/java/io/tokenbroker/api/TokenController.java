package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
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

import io.tokenbroker.account.BrokerProperties;
import io.tokenbroker.account.SettingsException;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.HeldToken;

/**
 * {@code GET /token[/{account}]}: the current access token, as JSON or as plain text.
 * Answers at once when a token is held; callers that must wait for Tradovate wait
 * asynchronously, holding no request thread.
 */
@RestController
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
class TokenController {

	/** The longest {@code minValidity} accepted: no Tradovate token lives a day. */
	static final long LONGEST_MIN_VALIDITY = 86_400;

	private static final MediaType PLAIN_TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private final TradovateAccounts accounts;

	private final AccountSessions sessions;

	private final Duration waitForToken;

	private final TokenBodies bodies;

	private final AuditTrail audit;

	/** Tomcat's own limit on an asynchronous request when Spring MVC sets none. */
	static final Duration CONTAINER_ASYNC_TIMEOUT = Duration.ofSeconds(30);

	TokenController(TradovateAccounts accounts, AccountSessions sessions, BrokerProperties properties,
			TokenBodies bodies, AuditTrail audit, WebMvcProperties mvc) {
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
		this.accounts = accounts;
		this.sessions = sessions;
		this.waitForToken = properties.waitForToken();
		this.bodies = bodies;
		this.audit = audit;
	}

	// The answer is a ResponseEntity when the token is held, a CompletableFuture of one
	// when
	// the caller must wait for Tradovate: Spring MVC picks the handling by the value's
	// type,
	// so only a wait goes through an asynchronous dispatch.
	@GetMapping(path = { "/token", "/token/{account}" }, produces = MediaType.APPLICATION_JSON_VALUE)
	Object json(@PathVariable(required = false) String account,
			@RequestParam(defaultValue = "0") @Min(0) @Max(LONGEST_MIN_VALIDITY) long minValidity,
			@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
		return answer(fetch(account, minValidity, caller, request), this::jsonResponse);
	}

	@GetMapping(path = { "/token", "/token/{account}" }, produces = MediaType.TEXT_PLAIN_VALUE)
	Object plain(@PathVariable(required = false) String account,
			@RequestParam(defaultValue = "0") @Min(0) @Max(LONGEST_MIN_VALIDITY) long minValidity,
			@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
		// bytes, not a String: Spring logs a String body at DEBUG, and this one is a
		// token
		return answer(fetch(account, minValidity, caller, request),
				(token) -> ok(PLAIN_TEXT, this.bodies.plain(token)));
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
		AccountSession session = session(account, caller, request);
		return answer(audited(session.report(reported, this.waitForToken), caller, request), this::jsonResponse);
	}

	private ResponseEntity<byte[]> jsonResponse(HeldToken token) {
		return ok(MediaType.APPLICATION_JSON, this.bodies.json(token));
	}

	private static ResponseEntity<byte[]> ok(MediaType type, byte[] body) {
		// Spring Security adds Pragma and Expires only when no Cache-Control is set
		// before
		// the response is committed, which is the case only after a wait: always sent
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.PRAGMA, "no-cache")
			.header(HttpHeaders.EXPIRES, "0")
			.contentType(type)
			.body(body);
	}

	/** The response itself when the token is there, else its future. */
	private static Object answer(CompletableFuture<HeldToken> token,
			Function<HeldToken, ResponseEntity<byte[]>> response) {
		if (token.isDone() && !token.isCompletedExceptionally()) {
			return response.apply(token.join());
		}
		return token.thenApply(response);
	}

	private CompletableFuture<HeldToken> fetch(String account, long minValidity, Caller caller,
			HttpServletRequest request) {
		AccountSession session = session(account, caller, request);
		return audited(session.token(Duration.ofSeconds(minValidity), this.waitForToken), caller, request);
	}

	/** The account a request names (or the default one), if this caller may read it. */
	private AccountSession session(String account, Caller caller, HttpServletRequest request) {
		String id = (account != null) ? account
				: this.accounts.defaultAccount()
					.orElseThrow(() -> new UnknownAccountException(
							"several accounts are configured and none is the default: ask for /token/{account}"));
		AccountSession session = this.sessions.find(id).orElse(null);
		if (session == null) {
			// only a caller that may read every account learns which exist
			throw caller.readsEveryAccount() ? new UnknownAccountException("no account with this id is configured")
					: new AccountNotAllowedException("client " + caller.id() + " may not read this account");
		}
		request.setAttribute(AuditTrail.ACCOUNT, id);
		if (!caller.mayRead(id)) {
			throw new AccountNotAllowedException("client " + caller.id() + " may not read account " + id);
		}
		return session;
	}

	private CompletableFuture<HeldToken> audited(CompletableFuture<HeldToken> token, Caller caller,
			HttpServletRequest request) {
		// a token held is audited right here; one Tradovate must fetch arrives on another
		// thread, which gets this request's logging context
		Map<String, String> logContext = token.isDone() ? null : MDC.getCopyOfContextMap();
		return token.thenApply((issued) -> {
			this.audit.issued(caller, issued, request, logContext);
			return issued;
		});
	}

}
