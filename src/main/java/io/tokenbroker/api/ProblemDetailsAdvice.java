package io.tokenbroker.api;

import java.net.URI;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.tokenbroker.caller.MalformedKeyException;
import io.tokenbroker.caller.TooManyFailedAuthenticationsException;
import io.tokenbroker.session.TokenUnavailableException;

/**
 * Renders every error as RFC 9457 problem details ({@code application/problem+json}):
 * Spring MVC's own (400, 404, 405, 406...), the security chain's (401, 403, 429) and the
 * broker's (404 unknown account, 503 no token), and records each refusal in the audit
 * trail. Never a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	static final String TYPE_PREFIX = "urn:tradovate-token-broker:problem:";

	private static final String REALM = "Bearer realm=\"tradovate-token-broker\"";

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private final AuditTrail audit;

	ProblemDetailsAdvice(AuditTrail audit) {
		this.audit = audit;
	}

	/**
	 * No token now: 503 with {@code Retry-After} and the reason; a renewal a caller
	 * forced too recently is 429; a validity no token of Tradovate's can have is 422,
	 * which no retry fixes.
	 */
	@ExceptionHandler(TokenUnavailableException.class)
	ResponseEntity<ProblemDetail> tokenUnavailable(TokenUnavailableException ex, HttpServletRequest request) {
		String reason = ex.reason().name().toLowerCase(Locale.ROOT);
		HttpStatus status = switch (ex.reason()) {
			case LIFETIME_TOO_SHORT -> HttpStatus.UNPROCESSABLE_CONTENT;
			case RENEWAL_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
			default -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		ProblemDetail problem = problem(status, "token-unavailable", "No token available", ex.getMessage());
		problem.setProperty("reason", reason);
		this.audit.refused(request, status.value(), reason, ex.getMessage());
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(status)
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status != HttpStatus.UNPROCESSABLE_CONTENT) {
			answer.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
		}
		return answer.body(problem);
	}

	/**
	 * RFC 6750: a wrong key is an invalid token (401), a malformed one an invalid request
	 * (400); without a bearer key at all the challenge carries no error code.
	 */
	@ExceptionHandler(AuthenticationException.class)
	ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException ex, HttpServletRequest request) {
		if (ex instanceof MalformedKeyException) {
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
					"Refused: " + ex.getMessage() + ".");
			return refused(request, problem).header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_request\"")
				.body(problem);
		}
		boolean badKey = ex instanceof BadCredentialsException;
		String detail = badKey ? "Refused: " + ex.getMessage() + "."
				: "This endpoint needs \"Authorization: Bearer <client key>\".";
		ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
		return refused(request, problem)
			.header(HttpHeaders.WWW_AUTHENTICATE, badKey ? REALM + ", error=\"invalid_token\"" : REALM)
			.body(problem);
	}

	@ExceptionHandler(TooManyFailedAuthenticationsException.class)
	ResponseEntity<ProblemDetail> lockedOut(TooManyFailedAuthenticationsException ex, HttpServletRequest request) {
		String detail = "Too many failed authentications from this address; try again in " + ex.retryAfterSeconds()
				+ " s.";
		ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-authentications",
				"Too many failed authentications", detail);
		return refused(request, problem).header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.body(problem);
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException ex, HttpServletRequest request) {
		return forbidden(request, "This client key may not use this endpoint.");
	}

	@ExceptionHandler(AccountNotAllowedException.class)
	ResponseEntity<ProblemDetail> accountNotAllowed(AccountNotAllowedException ex, HttpServletRequest request) {
		return forbidden(request, "This client key may not read this account.");
	}

	@ExceptionHandler(UnknownAccountException.class)
	ResponseEntity<ProblemDetail> unknownAccount(UnknownAccountException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "unknown-account", "Unknown account",
				ex.getMessage() + ".");
		return refused(request, problem).body(problem);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
		// the operator gets the stack trace; the caller gets nothing it could use
		log.error("Unexpected error while serving a request", ex);
		ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The broker failed unexpectedly; operators find the cause in its log.");
		return refused(request, problem).body(problem);
	}

	/** Names each refused parameter and why: {@code minValidity: must be ...}. */
	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = ex.getParameterValidationResults()
			.stream()
			.map((result) -> result.getMethodParameter().getParameterName() + ": "
					+ result.getResolvableErrors()
						.stream()
						.map(MessageSourceResolvable::getDefaultMessage)
						.collect(Collectors.joining(", ")))
			.collect(Collectors.joining("; ", "Invalid request parameters: ", "."));
		ex.getBody().setDetail(detail);
		return handleExceptionInternal(ex, ex.getBody(), headers, status, request);
	}

	/** Spring MVC's own errors (400, 404, 405, 406, 415...) pass here too. */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (request instanceof ServletWebRequest servlet) {
			String detail = (body instanceof ProblemDetail problem) ? problem.getDetail()
					: (ex instanceof ErrorResponse error) ? error.getBody().getDetail() : null;
			this.audit.refused(servlet.getRequest(), statusCode.value(), null, detail);
		}
		// a preset type skips content negotiation, which a garbled Accept header would
		// fail; the headers Spring passes may be read-only, so a copy carries it
		HttpHeaders problemHeaders = new HttpHeaders();
		problemHeaders.putAll(headers);
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		problemHeaders.setCacheControl(CacheControl.noStore());
		return super.handleExceptionInternal(ex, body, problemHeaders, statusCode, request);
	}

	private ResponseEntity<ProblemDetail> forbidden(HttpServletRequest request, String detail) {
		ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
		return refused(request, problem).header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\"")
			.body(problem);
	}

	private ResponseEntity.BodyBuilder refused(HttpServletRequest request, ProblemDetail problem) {
		String outcome = problem.getType().toString().substring(TYPE_PREFIX.length()).replace('-', '_');
		this.audit.refused(request, problem.getStatus(), outcome, problem.getDetail());
		return ResponseEntity.status(problem.getStatus())
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		return problem;
	}

}
