package io.tokenbroker.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hot path against the full path. Requests made up at random (paths, methods, keys,
 * {@code Accept} and {@code If-None-Match} lines, queries, request ids, addresses,
 * oversized parts) are each sent twice as raw bytes, once with the valve answering and
 * once with everything left to the chain: the two answers must have the same status,
 * headers (all but {@code Date}, and a request id the broker made up) and body bytes, and
 * add the same counts to {@code http.server.requests} and {@code broker.token.requests}.
 * The seed is printed, and named in every failure: {@code -Dtokenbroker.gate.seed=...}
 * replays a run. Also: every filter on the way to the controller is one the valve is
 * declared equivalent to.
 */
@TestPropertySource(properties = { "broker.security.free-failures=3", "logging.level.io.tokenbroker.audit=warn" })
@Import(ChainProbe.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeldTokenValveEquivalenceTests extends AgainstEmbeddedSimulator {

	private static final long SEED = Long.getLong("tokenbroker.gate.seed", System.nanoTime());

	private static final int REQUESTS = 1200;

	private static final String DEMO = "sim-demo-key";

	/** A client of account sim only. */
	private static final String AUDITOR = "auditor-secret-key";

	/** A client of no account. */
	private static final String OUTSIDER = "outsider-secret-key";

	/** An address locked out before the run: every keyed request from it gets 429. */
	private static final String LOCKED_OUT = "127.0.0.9";

	@Autowired
	private HeldTokenValve valve;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ServletContext servletContext;

	@Autowired
	private FilterChainProxy security;

	private String etag;

	@DynamicPropertySource
	static void clients(DynamicPropertyRegistry registry) {
		registry.add("broker.clients.auditor.key-sha256", () -> CallerKeys.hash(AUDITOR));
		registry.add("broker.clients.auditor.accounts", () -> "sim");
		registry.add("broker.clients.outsider.key-sha256", () -> CallerKeys.hash(OUTSIDER));
	}

	@BeforeAll
	void tokenHeldAndAnAddressLockedOut() {
		await().until(() -> send(new Generated("127.0.0.1", get("/token", DEMO), null)).status() == 200);
		this.etag = send(new Generated("127.0.0.1", get("/token", DEMO), null)).header("etag");
		for (int i = 0; i < 8; i++) {
			send(new Generated(LOCKED_OUT, get("/token", "guessed-key"), null));
		}
		assertThat(send(new Generated(LOCKED_OUT, get("/token", DEMO), null)).status()).isEqualTo(429);
	}

	@AfterEach
	void valveAnswers() {
		this.valve.answer(true);
	}

	@Test
	void everyAnswerOfTheHotPathIsTheAnswerOfTheChain() {
		System.out.println(
				"HeldTokenValveEquivalenceTests: seed " + SEED + " (-Dtokenbroker.gate.seed=" + SEED + " replays it)");
		Random random = new Random(SEED);
		Map<String, Integer> byValve = new TreeMap<>();
		for (int i = 0; i < REQUESTS; i++) {
			Generated request = generate(random, i);
			String context = "seed " + SEED + " (-Dtokenbroker.gate.seed=" + SEED + "), request " + i + " from "
					+ request.address() + ":\n" + request.text();

			this.valve.answer(true);
			int reached = ChainProbe.reached.get();
			Map<String, Long> before = counts();
			Answer fast = send(request);
			Map<String, Long> fastCounts = delta(before, counts());
			boolean answeredByValve = ChainProbe.reached.get() == reached && fast.status() / 100 != 4
					&& request.text().matches("(?s)GET /token[/? ].*");

			this.valve.answer(false);
			before = counts();
			Answer chain = send(request);
			Map<String, Long> chainCounts = delta(before, counts());

			assertThat(fast.status()).as(context).isEqualTo(chain.status());
			assertThat(fast.comparableHeaders(request)).as(context).isEqualTo(chain.comparableHeaders(request));
			assertThat(new String(fast.body(), StandardCharsets.ISO_8859_1)).as(context)
				.isEqualTo(new String(chain.body(), StandardCharsets.ISO_8859_1));
			assertThat(fastCounts).as(context).isEqualTo(chainCounts);
			if (answeredByValve) {
				byValve.merge(fast.status() + " " + fast.header("content-type"), 1, Integer::sum);
			}
		}
		System.out.println("HeldTokenValveEquivalenceTests: seed " + SEED + ", " + REQUESTS
				+ " requests, answered by the valve: " + byValve);
		// enough of each kind of answer for the comparison to mean something
		assertThat(byValve).as("seed " + SEED)
			.hasEntrySatisfying("200 application/json", (count) -> assertThat(count).isGreaterThan(50))
			.hasEntrySatisfying("200 text/plain;charset=UTF-8", (count) -> assertThat(count).isGreaterThan(20))
			.hasEntrySatisfying("304 null", (count) -> assertThat(count).isGreaterThan(10));
	}

	@Test
	void repeatedAcceptLinesAreOneListOnBothPaths() {
		// the valve used to read the first line only (JSON), the chain every line
		answeredOnBothPaths(request("GET /token", DEMO, "Accept: */*", "Accept: text/plain"), (answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.header("content-type")).isEqualTo("text/plain;charset=UTF-8");
		});
	}

	@Test
	void repeatedIfNoneMatchLinesAreOneListOnBothPaths() {
		// the valve used to read the first line only (200), the chain every line
		answeredOnBothPaths(request("GET /token/sim", DEMO, "If-None-Match: \"other\"", "If-None-Match: " + this.etag),
				(answer) -> {
					assertThat(answer.status()).isEqualTo(304);
					assertThat(answer.header("etag")).isEqualTo(this.etag);
				});
	}

	/** Sends the request with the valve answering, then with the chain answering. */
	private void answeredOnBothPaths(String request, Consumer<Answer> expected) {
		for (boolean held : new boolean[] { true, false }) {
			this.valve.answer(held);
			int reached = ChainProbe.reached.get();
			expected.accept(send(new Generated("127.0.0.1", request.getBytes(StandardCharsets.ISO_8859_1), null)));
			assertThat(ChainProbe.reached.get() - reached).as("reached the filters").isEqualTo(held ? 0 : 1);
		}
	}

	@Test
	void everyFilterOnTheWayToTheControllerIsOneTheValveIsDeclaredEquivalentTo() {
		Set<String> onTheWay = new TreeSet<>();
		for (FilterRegistration registration : this.servletContext.getFilterRegistrations().values()) {
			if (!mapsTokens(registration)) {
				continue;
			}
			if (AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME.equals(registration.getName())) {
				for (String path : List.of("/token", "/token/sim")) {
					this.security.getFilters(path).forEach((filter) -> onTheWay.add(filter.getClass().getName()));
				}
			}
			else {
				onTheWay.add(registration.getClassName());
			}
		}
		Set<String> undeclared = new TreeSet<>(onTheWay);
		undeclared.removeAll(HeldTokenValve.EQUIVALENT_FILTERS.keySet());
		// this test's own probe is one: the valve skips it, which is what it counts
		assertThat(undeclared)
			.as("filters on the way to GET /token that HeldTokenValve.EQUIVALENT_FILTERS does not list: the hot "
					+ "path skips them, so it must be shown to give their answers and be declared equivalent")
			.containsExactly(ChainProbe.Counter.class.getName());
		assertThat(HeldTokenValve.EQUIVALENT_FILTERS.keySet()).as("declared equivalent, but no longer there")
			.isSubsetOf(onTheWay);
	}

	private static boolean mapsTokens(FilterRegistration registration) {
		if (registration.getServletNameMappings().contains("dispatcherServlet")
				|| registration.getServletNameMappings().contains("*")) {
			return true;
		}
		return registration.getUrlPatternMappings()
			.stream()
			.anyMatch((pattern) -> matches(pattern, "/token") || matches(pattern, "/token/sim"));
	}

	/** The servlet specification's URL patterns: exact, path prefix, extension. */
	private static boolean matches(String pattern, String path) {
		if (pattern.equals("/*") || pattern.equals("/") || pattern.equals(path)) {
			return true;
		}
		if (pattern.endsWith("/*")) {
			String prefix = pattern.substring(0, pattern.length() - 2);
			return path.equals(prefix) || path.startsWith(prefix + "/");
		}
		return pattern.startsWith("*.") && path.endsWith(pattern.substring(1));
	}

	/** Every count of the two series, by meter id. */
	private Map<String, Long> counts() {
		Map<String, Long> counts = new HashMap<>();
		for (Meter meter : this.meters.getMeters()) {
			String name = meter.getId().getName();
			if (name.equals("http.server.requests") || name.equals("broker.token.requests")) {
				long count = (meter instanceof io.micrometer.core.instrument.Timer timer) ? timer.count()
						: (long) ((io.micrometer.core.instrument.Counter) meter).count();
				counts.put(name + meter.getId().getTags().stream().map(Tag::toString).toList(), count);
			}
		}
		return counts;
	}

	private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new TreeMap<>();
		after.forEach((id, count) -> {
			long added = count - before.getOrDefault(id, 0L);
			if (added != 0) {
				delta.put(id, added);
			}
		});
		return delta;
	}

	private static final List<String> TOKEN_PATHS = List.of("/token", "/token/sim");

	private static final List<String> OTHER_PATHS = List.of("/token/nobody", "/token/", "/token/sim/", "/token/SIM",
			"/token/%73im", "/token/sim;x=1", "/token;x=1", "/tokens", "/token/sim/extra", "//token", "/token/sim.json",
			"/TOKEN", "/token/" + "a".repeat(1100), "/actuator/health/liveness", "/token/refused", "/token/sim/refused",
			"/token/./sim", "/token/sim/..", "/token/s%69m");

	private static final List<String> METHODS = List.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get",
			"TRACE");

	private static final List<String> QUERIES = List.of("minValidity=0", "minValidity=60", "minValidity=3600",
			"minValidity=4800", "minValidity=86400", "minValidity=86401", "minValidity=99999", "minValidity=-1",
			"minValidity=abc", "minValidity=", "minValidity=060", "minValidity=+60", "minValidity=60&minValidity=70",
			"minValidity=60&via=x", "via=x", "MINVALIDITY=5", "minValidity=%36%30", "minValidity=1e3", "",
			"x=" + "y".repeat(2100));

	private static final List<String> ACCEPTS = List.of("application/json", "text/plain", "*/*", "text/*",
			"application/*", "text/html", "text/plain;q=0.5, application/json", "application/json;q=0",
			"*/*;q=0.1, text/plain", "garbage///", "", "TEXT/PLAIN", "application/json, text/plain",
			"text/plain, application/json", "text/plain; charset=utf-8", "application/problem+json",
			"application/json;charset=UTF-8", "*/*, text/plain", "text/event-stream", "application/json;q=0.5, */*",
			"text/plain;q=0.9, application/json;q=0.9", "image/png, */*;q=0.1");

	private static final List<String> REQUEST_IDS = List.of("trade-42.a_b", "a b\"c", "x".repeat(70), "", "Z-9");

	/** A request made up from the seed; about a third of them for a held token. */
	private Generated generate(Random random, int index) {
		String method = (random.nextInt(100) < 85) ? "GET" : pick(random, METHODS);
		String path = (random.nextInt(100) < 75) ? pick(random, TOKEN_PATHS) : pick(random, OTHER_PATHS);
		String query = (random.nextInt(100) < 70) ? null : pick(random, QUERIES);
		List<String> lines = new ArrayList<>();
		lines.addAll(authorization(random));
		int accepts = lineCount(random, 45);
		for (int i = 0; i < accepts; i++) {
			lines.add("Accept: " + pick(random, ACCEPTS));
		}
		int tags = lineCount(random, 70);
		for (int i = 0; i < tags; i++) {
			lines.add("If-None-Match: " + pick(random, List.of(this.etag, "W/" + this.etag, "*", "\"other\"", "garbage",
					this.etag + ", \"x\"", "\"r0-0\"", "", "\"x\", " + this.etag)));
		}
		int ids = lineCount(random, 50);
		for (int i = 0; i < ids; i++) {
			lines.add("X-Request-Id: " + pick(random, REQUEST_IDS) + ((i > 0) ? i : ""));
		}
		String body = "";
		switch (random.nextInt(40)) {
			case 0 -> lines.add("X-Padding: " + "p".repeat(17_000));
			case 1 -> {
				body = "abcd";
				lines.add("Content-Length: 4");
			}
			case 2 -> lines.add("X-Forwarded-For: 10.9.8.7");
			case 3 -> lines.add("Origin: http://127.0.0.1:1");
			default -> {
			}
		}
		String address = (random.nextInt(100) < 4) ? LOCKED_OUT : "127.1." + (index / 250) + "." + (index % 250 + 1);
		String target = path + ((query != null) ? "?" + query : "");
		String text = request(method + " " + target, null, lines.toArray(String[]::new)) + body;
		return new Generated(address, text.getBytes(StandardCharsets.ISO_8859_1), firstRequestId(lines));
	}

	private static List<String> authorization(Random random) {
		int kind = random.nextInt(100);
		if (kind < 45) {
			return List.of("Authorization: Bearer " + DEMO);
		}
		if (kind < 60) {
			return List.of("Authorization: Bearer " + AUDITOR);
		}
		if (kind < 65) {
			return List.of("Authorization: Bearer " + OUTSIDER);
		}
		return switch (kind % 9) {
			case 0 -> List.of("Authorization: Bearer wrong-key");
			case 1 -> List.of("Authorization: Bearer a b");
			case 2 -> List.of();
			case 3 -> List.of("Authorization: Basic c2ltOmRlbW8=");
			case 4 -> List.of("Authorization: bearer " + DEMO);
			case 5 -> List.of("Authorization: Bearer " + DEMO, "Authorization: Bearer wrong-key");
			case 6 -> List.of("Authorization: Bearer   " + AUDITOR + "  ");
			case 7 -> List.of("Authorization: Bearer " + "k".repeat(300));
			default -> List.of("Authorization: Bearer");
		};
	}

	/**
	 * No line {@code percentNone} times in a hundred, else one, sometimes two or three.
	 */
	private static int lineCount(Random random, int percentNone) {
		if (random.nextInt(100) < percentNone) {
			return 0;
		}
		int count = 1;
		while (count < 3 && random.nextInt(100) < 25) {
			count++;
		}
		return count;
	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static String firstRequestId(List<String> lines) {
		return lines.stream()
			.filter((line) -> line.startsWith("X-Request-Id: "))
			.map((line) -> line.substring("X-Request-Id: ".length()))
			.findFirst()
			.orElse(null);
	}

	private static byte[] get(String path, String key) {
		return request("GET " + path, key).getBytes(StandardCharsets.ISO_8859_1);
	}

	/** A request's head; with a key, its {@code Authorization} line first. */
	private static String request(String requestLine, String key, String... lines) {
		StringBuilder text = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		if (key != null) {
			text.append("Authorization: Bearer ").append(key).append("\r\n");
		}
		for (String line : lines) {
			text.append(line).append("\r\n");
		}
		return text.append("Connection: close\r\n\r\n").toString();
	}

	private static Answer send(Generated request) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT,
				InetAddress.getByName(request.address()), 0)) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.bytes());
			out.flush();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			socket.getInputStream().transferTo(answer);
			return Answer.parse(answer.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param requestId the first {@code X-Request-Id} line's value, or {@code null}
	 */
	private record Generated(String address, byte[] bytes, String requestId) {

		String text() {
			String text = new String(this.bytes, StandardCharsets.ISO_8859_1);
			return (text.length() > 600) ? text.substring(0, 600) + "... (" + text.length() + " bytes)" : text;
		}

	}

	/** An answer as it came: status, header lines in order, body (de-chunked). */
	private record Answer(int status, List<String[]> headers, byte[] body) {

		static Answer parse(byte[] raw) {
			int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			if (end < 0) {
				throw new IllegalStateException("no complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
			}
			String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
			List<String[]> headers = new ArrayList<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.add(new String[] { lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).strip() });
			}
			byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
			boolean chunked = headers.stream()
				.anyMatch((header) -> header[0].equals("transfer-encoding") && header[1].equalsIgnoreCase("chunked"));
			return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, chunked ? unchunk(body) : body);
		}

		String header(String name) {
			return this.headers.stream()
				.filter((header) -> header[0].equals(name))
				.map((header) -> header[1])
				.findFirst()
				.orElse(null);
		}

		/**
		 * Every header by name, its values in order, but {@code Date} and a request id
		 * the broker made up (which must be there, once).
		 */
		Map<String, List<String>> comparableHeaders(Generated request) {
			Map<String, List<String>> headers = new TreeMap<>();
			for (String[] header : this.headers) {
				String value = header[1];
				if (header[0].equals("x-request-id") && !value.equals(request.requestId())
						&& value.matches("[0-9a-f]{16}")) {
					value = "(made up)";
				}
				headers.computeIfAbsent(header[0], (name) -> new ArrayList<>()).add(value);
			}
			headers.remove("date");
			return headers;
		}

		private static byte[] unchunk(byte[] chunked) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			int at = 0;
			while (at < chunked.length) {
				int lineEnd = indexOf(Arrays.copyOfRange(chunked, at, chunked.length),
						"\r\n".getBytes(StandardCharsets.ISO_8859_1));
				int size = Integer
					.parseInt(new String(chunked, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
				if (size == 0) {
					break;
				}
				body.write(chunked, at + lineEnd + 2, size);
				at += lineEnd + 2 + size + 2;
			}
			return body.toByteArray();
		}

		private static int indexOf(byte[] bytes, byte[] part) {
			for (int i = 0; i + part.length <= bytes.length; i++) {
				if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
					return i;
				}
			}
			return -1;
		}

	}

}
