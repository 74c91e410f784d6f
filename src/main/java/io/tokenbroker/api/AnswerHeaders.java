package io.tokenbroker.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * The headers every answer of {@code GET /token} carries whatever the token: the
 * controller's ({@link TokenController#NO_STORE}) and what Spring Security's header
 * writers add to them. They are taken from the security chain itself at start-up: its
 * {@link HeaderWriterFilter}s are run once for each kind of answer (200 or 304, over TLS
 * or not, since a writer may look at either) on a stand-in exchange whose handler sets
 * what the controller sets, and what the response then holds is kept as the bytes Tomcat
 * writes. Nothing here names a header Spring Security writes.
 */
final class AnswerHeaders {

	/** By {@link #index}: names and values, alternately. */
	private final byte[][][] byKind;

	private AnswerHeaders(byte[][][] byKind) {
		this.byKind = byKind;
	}

	/**
	 * @param securityFilters the filters of the security chain that serves
	 * {@code GET /token}, in order
	 */
	static AnswerHeaders of(List<Filter> securityFilters) {
		List<Filter> writers = securityFilters.stream().filter(HeaderWriterFilter.class::isInstance).toList();
		byte[][][] byKind = new byte[4][][];
		for (boolean secure : new boolean[] { false, true }) {
			for (boolean notModified : new boolean[] { false, true }) {
				byKind[index(secure, notModified)] = bytes(written(writers, secure, notModified));
			}
		}
		return new AnswerHeaders(byKind);
	}

	/** Names and values, alternately, as bytes. */
	byte[][] of(boolean secure, boolean notModified) {
		return this.byKind[index(secure, notModified)];
	}

	/** What the response holds after the writers ran around the controller's answer. */
	static Map<String, List<String>> written(List<Filter> writers, boolean secure, boolean notModified) {
		StandInExchange.Response response = StandInExchange.response();
		FilterChain controller = (request, servlet) -> {
			HttpServletResponse answer = (HttpServletResponse) servlet;
			answer.setStatus(notModified ? HttpStatus.NOT_MODIFIED.value() : HttpStatus.OK.value());
			TokenController.NO_STORE
				.forEach((name, values) -> values.forEach((value) -> answer.addHeader(name, value)));
		};
		try {
			chain(writers, 0, controller).doFilter(StandInExchange.request(TokenController.PATH, secure, Map.of()),
					response.servlet());
		}
		catch (IOException | ServletException ex) {
			throw new IllegalStateException("Spring Security's header writers failed on a stand-in answer", ex);
		}
		return response.headers();
	}

	private static FilterChain chain(List<Filter> filters, int from, FilterChain end) {
		if (from == filters.size()) {
			return end;
		}
		return (request, response) -> filters.get(from).doFilter(request, response, chain(filters, from + 1, end));
	}

	private static byte[][] bytes(Map<String, List<String>> headers) {
		List<byte[]> bytes = new ArrayList<>();
		headers.forEach((name, values) -> values.forEach((value) -> {
			bytes.add(name.getBytes(StandardCharsets.ISO_8859_1));
			bytes.add(value.getBytes(StandardCharsets.ISO_8859_1));
		}));
		return bytes.toArray(new byte[0][]);
	}

	private static int index(boolean secure, boolean notModified) {
		return (secure ? 2 : 0) + (notModified ? 1 : 0);
	}

}
