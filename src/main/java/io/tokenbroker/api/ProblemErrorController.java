package io.tokenbroker.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reached a controller (the servlet container's, the security
 * firewall's rejection of encoded path tricks) come to {@code /error}: they get the same
 * problem details as every other error instead of Spring Boot's default error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	void error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// no status: someone asked for /error itself, which is no resource of ours
		HttpStatus status = (code instanceof Integer value && HttpStatus.resolve(value) != null)
				? HttpStatus.valueOf(value) : HttpStatus.NOT_FOUND;
		ErrorResponseException error = new ErrorResponseException(status);
		error.setDetail(
				status.is5xxServerError() ? "The broker failed unexpectedly; operators find the cause in its log."
						: "The request was refused: " + status.getReasonPhrase() + ".");
		throw error;
	}

}
