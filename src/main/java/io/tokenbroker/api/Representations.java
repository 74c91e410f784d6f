package io.tokenbroker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.ProducesRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Which body a request's {@code Accept} lines get, as Spring MVC picks between the
 * controller's two {@code GET /token} mappings: their own {@code produces} conditions,
 * with the content negotiation they were built with, are asked (on a stand-in request)
 * once for each set of lines and the answer is kept, for the first 64 sets seen (a client
 * sends the same lines every time). Nothing here parses a media type.
 */
final class Representations {

	/** Sets of lines remembered; the others are asked again each time. */
	static final int MOST_REMEMBERED = 64;

	private static final Optional<Representation> JSON = Optional.of(Representation.JSON);

	private static final Optional<Representation> PLAIN = Optional.of(Representation.PLAIN);

	private final ProducesRequestCondition json;

	private final ProducesRequestCondition plain;

	private final Optional<Representation> withoutAccept;

	/** By the lines, joined with line feeds (which no header line holds). */
	private final ConcurrentMap<String, Optional<Representation>> remembered = new ConcurrentHashMap<>();

	Representations(ProducesRequestCondition json, ProducesRequestCondition plain) {
		this.json = json;
		this.plain = plain;
		this.withoutAccept = pick(List.of());
	}

	/**
	 * The {@code produces} conditions of the controller's {@code GET /token} mappings in
	 * Spring MVC's handler mapping.
	 */
	static Representations of(RequestMappingHandlerMapping mapping) {
		ProducesRequestCondition json = null;
		ProducesRequestCondition plain = null;
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
			RequestMappingInfo info = entry.getKey();
			if (ClassUtils.getUserClass(entry.getValue().getBeanType()) != TokenController.class
					|| !info.getMethodsCondition().getMethods().contains(RequestMethod.GET)
					|| !info.getPatternValues().contains(TokenController.PATH)) {
				continue;
			}
			Set<MediaType> produced = info.getProducesCondition().getProducibleMediaTypes();
			if (produced.equals(Set.of(MediaType.APPLICATION_JSON))) {
				json = info.getProducesCondition();
			}
			else if (produced.equals(Set.of(MediaType.TEXT_PLAIN))) {
				plain = info.getProducesCondition();
			}
		}
		if (json == null || plain == null) {
			throw new IllegalStateException("GET " + TokenController.PATH
					+ " is not mapped to one JSON and one plain text method of " + TokenController.class.getName());
		}
		return new Representations(json, plain);
	}

	/**
	 * The body Spring MVC would answer a request with these {@code Accept} lines (joined
	 * with line feeds; {@code null} for none), or {@code null} when it would answer none
	 * (406) or could not choose: the chain decides those.
	 */
	Representation of(String accept) {
		if (accept == null) {
			return this.withoutAccept.orElse(null);
		}
		Optional<Representation> known = this.remembered.get(accept);
		if (known == null) {
			known = pick(List.of(accept.split("\n", -1)));
			if (this.remembered.size() < MOST_REMEMBERED) {
				this.remembered.putIfAbsent(accept, known);
			}
		}
		return known.orElse(null);
	}

	/** What Spring MVC's request mapping decides for these lines, as it decides it. */
	private Optional<Representation> pick(List<String> acceptLines) {
		HttpServletRequest request = StandInExchange.request(TokenController.PATH, false,
				acceptLines.isEmpty() ? Map.of() : Map.of(HttpHeaders.ACCEPT, new ArrayList<>(acceptLines)));
		try {
			ProducesRequestCondition json = this.json.getMatchingCondition(request);
			ProducesRequestCondition plain = this.plain.getMatchingCondition(request);
			if (json == null || plain == null) {
				return (json != null) ? JSON : (plain != null) ? PLAIN : Optional.empty();
			}
			// the handler mapping's order: the lower is the better match; equal is
			// ambiguous, an error only the chain can answer
			int order = json.compareTo(plain, request);
			return (order < 0) ? JSON : (order > 0) ? PLAIN : Optional.empty();
		}
		catch (RuntimeException ex) {
			// whatever Spring makes of these lines, the chain makes it again
			return Optional.empty();
		}
	}

}
