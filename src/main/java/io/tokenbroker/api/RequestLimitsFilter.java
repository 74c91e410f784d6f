package io.tokenbroker.api;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.MimeHeaders;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses oversized or malformed requests before anything else reads them, each with its
 * own problem detail: a long URL (414), large headers (431), a body on a method that
 * takes none (400), a body without a length (411) or over 64 KB (413). Tomcat's own limit
 * ({@code server.max-http-request-header-size}) sits above these, for what never reaches
 * the application.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestLimitsFilter extends OncePerRequestFilter {

	static final int LONGEST_PATH = 1024;

	static final int LONGEST_QUERY = 2048;

	static final int LARGEST_HEADERS = 16 * 1024;

	/** No request to the broker or its simulator needs more. */
	static final int LARGEST_BODY = 64 * 1024;

	private static final Set<String> WITHOUT_BODY = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

	private final HandlerExceptionResolver problems;

	RequestLimitsFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ErrorResponseException refusal = refusal(request, headerSize(request));
		if (refusal != null) {
			this.problems.resolveException(request, response, null, refusal);
			return;
		}
		chain.doFilter(request, response);
	}

	/** Why the request is refused, or {@code null} when it is within every limit. */
	static ErrorResponseException refusal(HttpServletRequest request, long headerSize) {
		String query = request.getQueryString();
		if (request.getRequestURI().length() > LONGEST_PATH || (query != null && query.length() > LONGEST_QUERY)) {
			return refusal(HttpStatus.URI_TOO_LONG, "The path may be at most " + LONGEST_PATH
					+ " characters long and the query " + LONGEST_QUERY + ".");
		}
		if (headerSize > LARGEST_HEADERS) {
			return refusal(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
					"The request headers may be at most " + LARGEST_HEADERS + " bytes in all.");
		}
		boolean chunked = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
		boolean hasBody = request.getContentLengthLong() > 0 || chunked;
		if (hasBody && WITHOUT_BODY.contains(request.getMethod())) {
			return refusal(HttpStatus.BAD_REQUEST, "A " + request.getMethod() + " request carries no body.");
		}
		if (chunked) {
			// a body of unknown size could be any size: it must say how large it is
			return refusal(HttpStatus.LENGTH_REQUIRED, "A request body needs a Content-Length.");
		}
		if (request.getContentLengthLong() > LARGEST_BODY) {
			return refusal(HttpStatus.CONTENT_TOO_LARGE, "A request body may be at most " + LARGEST_BODY + " bytes.");
		}
		return null;
	}

	/** The size of the request's headers: each name, value, ": " and line end. */
	static long headerSize(HttpServletRequest request) {
		long size = 0;
		Enumeration<String> names = request.getHeaderNames();
		while (names.hasMoreElements()) {
			String name = names.nextElement();
			Enumeration<String> values = request.getHeaders(name);
			while (values.hasMoreElements()) {
				size += name.length() + values.nextElement().length() + 4;
			}
		}
		return size;
	}

	/**
	 * The size of the request's headers, as {@link #headerSize(HttpServletRequest)}
	 * counts it, from the bytes Tomcat read (one byte per character, as the servlet API
	 * decodes them), without making strings of them.
	 */
	static long headerSize(MimeHeaders headers) {
		long size = 0;
		for (int i = 0; i < headers.size(); i++) {
			size += headers.getName(i).getLength() + headers.getValue(i).getLength() + 4;
		}
		return size;
	}

	private static ErrorResponseException refusal(HttpStatus status, String detail) {
		ErrorResponseException refusal = new ErrorResponseException(status);
		refusal.setDetail(detail);
		return refusal;
	}

}
