package io.tokenbroker.api;

import java.net.URI;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.tokenbroker.session.TokenUnavailableException;

/**
 * Renders every error as RFC 9457 problem details ({@code application/problem+json}):
 * Spring MVC's own (400, 404, 405, 406...), the security chain's (401, 403) and the
 * broker's (404 unknown account, 503 no token). Never a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	static final String TYPE_PREFIX = "urn:tradovate-token-broker:problem:";

	private static final String REALM = "Bearer realm=\"tradovate-token-broker\"";

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@ExceptionHandler(TokenUnavailableException.class)
	ResponseEntity<ProblemDetail> tokenUnavailable(TokenUnavailableException ex) {
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "token-unavailable", "No token available",
				ex.getMessage());
		problem.setProperty("reason", ex.reason().name().toLowerCase(Locale.ROOT));
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfter().toSeconds()))
			.cacheControl(CacheControl.noStore())
			.body(problem);
	}

	@ExceptionHandler(AuthenticationException.class)
	ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException ex) {
		boolean badKey = ex instanceof BadCredentialsException;
		String detail = badKey ? "Refused: " + ex.getMessage() + "."
				: "This endpoint needs \"Authorization: Bearer <client key>\".";
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, badKey ? REALM + ", error=\"invalid_token\"" : REALM)
			.cacheControl(CacheControl.noStore())
			.body(problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException ex) {
		return forbidden("This client key may not use this endpoint.");
	}

	@ExceptionHandler(AccountNotAllowedException.class)
	ResponseEntity<ProblemDetail> accountNotAllowed(AccountNotAllowedException ex) {
		return forbidden("This client key may not read this account.");
	}

	@ExceptionHandler(UnknownAccountException.class)
	ResponseEntity<ProblemDetail> unknownAccount(UnknownAccountException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(problem(HttpStatus.NOT_FOUND, "unknown-account", "Unknown account", ex.getMessage() + "."));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		// the operator gets the stack trace; the caller gets nothing it could use
		log.error("Unexpected error while serving a request", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
					"The broker failed unexpectedly; operators find the cause in its log."));
	}

	private ResponseEntity<ProblemDetail> forbidden(String detail) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.body(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail));
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		return problem;
	}

}
