package io.tokenbroker.api;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A {@code GET} and its response that exist only so that Spring's own components (the
 * security chain's header writers, the handler mapping's content negotiation, the request
 * observation's convention) can be asked what they would do with a request for a token:
 * never received, never sent. What a component asks of them that they do not know is
 * absent ({@code null}, {@code false}, zero).
 */
final class StandInExchange {

	private StandInExchange() {
	}

	/**
	 * A {@code GET} of {@code path} (no context path, no query) over TLS or not, with
	 * these header lines (names in any case).
	 */
	static HttpServletRequest request(String path, boolean secure, Map<String, List<String>> headerLines) {
		Map<String, List<String>> headers = lowerCaseNames(headerLines);
		Map<String, Object> attributes = new HashMap<>();
		return proxy(HttpServletRequest.class, (method, args) -> switch (method.getName()) {
			case "getMethod" -> "GET";
			case "getRequestURI", "getServletPath" -> path;
			case "getContextPath" -> "";
			case "getRequestURL" -> new StringBuffer((secure ? "https" : "http") + "://localhost" + path);
			case "getScheme" -> secure ? "https" : "http";
			case "isSecure" -> secure;
			case "getServerName" -> "localhost";
			case "getServerPort" -> secure ? 443 : 80;
			case "getProtocol" -> "HTTP/1.1";
			case "getDispatcherType" -> DispatcherType.REQUEST;
			case "getHeader" -> first(headers.get(key(name(args))));
			case "getHeaders" -> Collections.enumeration(headers.getOrDefault(key(name(args)), List.of()));
			case "getHeaderNames" -> Collections.enumeration(headers.keySet());
			case "getParameterMap" -> Map.of();
			case "getParameterNames", "getAttributeNames" -> Collections.emptyEnumeration();
			case "getAttribute" -> attributes.get((String) args[0]);
			case "setAttribute" -> put(attributes, (String) args[0], args[1]);
			case "removeAttribute" -> attributes.remove((String) args[0]);
			default -> absent(method);
		});
	}

	/** A response that keeps its status and its headers, in the order first set. */
	static Response response() {
		return new Response();
	}

	/** The headers of the response as set through it; its body goes nowhere. */
	static final class Response {

		private final Map<String, List<String>> headers = new LinkedHashMap<>();

		private final Map<String, String> names = new HashMap<>();

		private int status = 200;

		private final HttpServletResponse servlet = proxy(HttpServletResponse.class,
				(method, args) -> switch (method.getName()) {
					case "setStatus" -> this.status = (int) args[0];
					case "getStatus" -> this.status;
					case "setHeader" -> set(name(args), String.valueOf(args[1]));
					case "addHeader" -> add(name(args), String.valueOf(args[1]));
					case "setIntHeader" -> set(name(args), Integer.toString((int) args[1]));
					case "addIntHeader" -> add(name(args), Integer.toString((int) args[1]));
					case "containsHeader" -> this.names.containsKey(key(name(args)));
					case "getHeader" -> first(this.headers.get(this.names.get(key(name(args)))));
					case "getHeaders" ->
						List.copyOf(this.headers.getOrDefault(this.names.get(key(name(args))), List.of()));
					case "getHeaderNames" -> List.copyOf(this.headers.keySet());
					case "getCharacterEncoding" -> "ISO-8859-1";
					default -> absent(method);
				});

		HttpServletResponse servlet() {
			return this.servlet;
		}

		int status() {
			return this.status;
		}

		/** Each header's name as first set, and its values in order. */
		Map<String, List<String>> headers() {
			return Collections.unmodifiableMap(this.headers);
		}

		private Object set(String name, String value) {
			String known = this.names.remove(key(name));
			if (known != null) {
				this.headers.remove(known);
			}
			return add(name, value);
		}

		private Object add(String name, String value) {
			String known = this.names.putIfAbsent(key(name), name);
			this.headers.computeIfAbsent((known != null) ? known : name, (first) -> new ArrayList<>()).add(value);
			return null;
		}

	}

	private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headerLines) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headerLines.forEach((name, lines) -> headers.put(key(name), List.copyOf(lines)));
		return headers;
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	private static String name(Object[] args) {
		return (String) args[0];
	}

	private static Object put(Map<String, Object> attributes, String name, Object value) {
		if (value == null) {
			attributes.remove(name);
		}
		else {
			attributes.put(name, value);
		}
		return null;
	}

	private static String first(List<String> values) {
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/** What a question the stand-in cannot answer gets: nothing. */
	private static Object absent(Method method) {
		Class<?> type = method.getReturnType();
		if (type == boolean.class) {
			return false;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		return null;
	}

	private static <T> T proxy(Class<T> type, Answers answers) {
		InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
			case "equals" -> proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			case "toString" -> "stand-in " + type.getSimpleName();
			default -> answers.answer(method, (args != null) ? args : new Object[0]);
		};
		return type
			.cast(Proxy.newProxyInstance(StandInExchange.class.getClassLoader(), new Class<?>[] { type }, handler));
	}

	@FunctionalInterface
	private interface Answers {

		Object answer(Method method, Object[] args);

	}

}
