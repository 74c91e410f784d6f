package io.tokenbroker.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.tokenbroker.api.OpenApiContract.Answer;
import io.tokenbroker.api.OpenApiContract.Event;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docs/openapi.yaml} is true: it is valid OpenAPI 3.1, it names exactly the caller
 * routes the broker has, and every answer it documents is produced here by a real call to
 * the broker (on its embedded simulator) and checked against it: status, media type, body
 * schema, required headers. An answer the document does not describe fails the test, and
 * so does a documented answer no test produced, unless {@link #UNREACHABLE} says why none
 * can.
 */
@TestPropertySource(properties = {
		// the wrong and malformed keys sent from 127.0.0.1 must not lock it out
		"broker.security.free-failures=20", "broker.renewal.forced-interval=1m",
		// streams closed by a test are noticed soon
		"broker.events.heartbeat=200ms", "broker.events.max-streams-per-client=3",
		// SHA-256 of "stranger-key": a client that may read no account
		"broker.clients.stranger.key-sha256=96fbe991904da033d08b8e7a208f893914d56cc10d96503b7a5d4bd0b3ea0101",
		// SHA-256 of "watcher-key"
		"broker.clients.watcher.key-sha256=8c921924dd1544d43d5f735d62925ec64593b027133564d240d3403dfea6cf1e",
		"broker.clients.watcher.accounts=*",
		// the gateway (on in the demo profile): one call of each of these an hour
		"broker.gateway.limits.endpoints[contract/find]=1", "broker.gateway.limits.endpoints[user/syncrequest]=1" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTests extends AgainstEmbeddedSimulator {

	private static final OpenApiContract contract = OpenApiContract.load(Path.of("docs/openapi.yaml"));

	private static final String KEY = "sim-demo-key";

	private static final List<String> DEFAULT_PATHS = List.of("GET /token", "POST /token/refused", "GET /token/events");

	private static final String GATEWAY = "/tradovate/{account}/{entity}/{operation}";

	private static final List<String> OPERATIONS = List.of("GET /token", "GET /token/{account}", "POST /token/refused",
			"POST /token/{account}/refused", "GET /token/events", "GET /token/{account}/events", "GET " + GATEWAY,
			"POST " + GATEWAY);

	/** Documented answers that no call against a running broker here can produce. */
	private static final Map<String, String> UNREACHABLE = unreachable();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<EventStream> streams = new ArrayList<>();

	@Autowired
	private BuildProperties build;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	private static Map<String, String> unreachable() {
		Map<String, String> unreachable = new TreeMap<>();
		for (String operation : OPERATIONS) {
			unreachable.put(operation + " 500 application/problem+json",
					"only an unexpected failure of the broker answers 500");
		}
		for (String operation : DEFAULT_PATHS) {
			unreachable.put(operation + " 404 application/problem+json",
					"needs several accounts and no default one; the sim profile has one account");
		}
		for (String method : List.of("GET", "POST")) {
			unreachable.put(method + " " + GATEWAY + " 502 application/problem+json",
					"needs a Tradovate that fails; GatewayPassthroughTests gets it from a scripted one");
			unreachable.put(method + " " + GATEWAY + " 504 application/problem+json",
					"needs a Tradovate that does not answer; GatewayPassthroughTests gets it from a scripted one");
		}
		return unreachable;
	}

	@BeforeEach
	void tokenHeld() {
		await().until(() -> send("GET", "/token", KEY).status() == 200);
	}

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
	}

	@Test
	void theDocumentIsValidOpenApi31WithTheProjectVersionAndValidExamples() {
		SwaggerParseResult parsed = contract.parse();

		assertThat(parsed.getMessages()).isEmpty();
		assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
		assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
		assertThat(parsed.getOpenAPI().getInfo().getVersion()).isEqualTo(this.build.getVersion());
		assertThat(contract.invalidExamples()).isEmpty();
	}

	@Test
	void theDocumentNamesExactlyTheCallerRoutesOfTheBroker() {
		Set<String> routes = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((mapping) -> mapping.getPatternValues().forEach((path) -> {
			if (path.equals("/token") || path.startsWith("/token/")) {
				mapping.getMethodsCondition().getMethods().forEach((method) -> routes.add(method + " " + path));
			}
		}));

		Set<String> gateway = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((mapping) -> mapping.getPatternValues().forEach((path) -> {
			if (path.equals("/tradovate/{account}/**")) {
				mapping.getMethodsCondition().getMethods().forEach((method) -> gateway.add(method.name()));
			}
		}));

		assertThat(routes).containsExactlyInAnyOrderElementsOf(
				OPERATIONS.stream().filter((operation) -> !operation.endsWith(GATEWAY)).toList());
		assertThat(gateway).as("the gateway's route passes the documented methods and more").contains("GET", "POST");
		assertThat(contract.operations()).containsExactlyInAnyOrderElementsOf(OPERATIONS);
	}

	@Test
	void theGatewayAnswersAsTradovateDoes() {
		expect(200, "GET", GATEWAY, send("GET", "/tradovate/sim/account/list", KEY));
		// the simulator takes POST on user/syncrequest only: theGatewaysOwnRefusals sends
		// it
		expect(404, "GET", GATEWAY, send("GET", "/tradovate/sim/nothing/here", KEY));
		expect(404, "POST", GATEWAY, post("/tradovate/sim/nothing/here", KEY, "application/json", "{}"));
	}

	@Test
	void theGatewaysOwnRefusals() {
		expect(400, "GET", GATEWAY, send("GET", "/tradovate/sim/account%20x/list", KEY));
		expect(400, "POST", GATEWAY, post("/tradovate/sim/account%20x/list", KEY, "application/json", "{}"));
		expect(403, "GET", GATEWAY, send("GET", "/tradovate/sim/auth/renewaccesstoken", KEY));
		expect(403, "POST", GATEWAY, post("/tradovate/sim/auth/accesstokenrequest", KEY, "application/json", "{}"));
		expect(404, "GET", GATEWAY, send("GET", "/tradovate/nobody/account/list", KEY));
		expect(404, "POST", GATEWAY, post("/tradovate/nobody/account/list", KEY, "application/json", "{}"));
		expect(200, "GET", GATEWAY, send("GET", "/tradovate/sim/contract/find?name=ESM6", KEY));
		expect(429, "GET", GATEWAY, send("GET", "/tradovate/sim/contract/find?name=ESM6", KEY));
		expect(200, "POST", GATEWAY, post("/tradovate/sim/user/syncrequest", KEY, "application/json", "{}"));
		expect(429, "POST", GATEWAY, post("/tradovate/sim/user/syncrequest", KEY, "application/json", "{}"));
	}

	@Test
	void aTokenAsJsonAsTextAndNotModified() {
		for (String[] paths : new String[][] { { "/token", "/token" }, { "/token/{account}", "/token/sim" } }) {
			String template = paths[0];
			Answer json = expect(200, "GET", template, send("GET", paths[1] + "?minValidity=60", KEY));
			String etag = json.header("ETag").get(0);
			expect(200, "GET", template, send("GET", paths[1], KEY, "Accept", "text/plain"));
			expect(304, "GET", template, send("GET", paths[1], KEY, "If-None-Match", etag));
			// through the controller rather than the filter that serves held tokens
			String negotiated = "application/json;q=0.9, text/plain;q=0.5";
			expect(200, "GET", template, send("GET", paths[1], KEY, "Accept", negotiated));
			expect(304, "GET", template, send("GET", paths[1], KEY, "Accept", negotiated, "If-None-Match", etag));
		}
	}

	@Test
	void aReportOfARefusedTokenIsAnsweredWithAWorkingToken() {
		String token = send("GET", "/token", KEY, "Accept", "text/plain").body();

		expect(200, "POST", "/token/refused", post("/token/refused", KEY, "text/plain", token));
		expect(200, "POST", "/token/{account}/refused",
				post("/token/sim/refused", KEY, "application/json", "{\"accessToken\":\"" + token + "\"}"));
		expect(200, "POST", "/token/refused", post("/token/refused", KEY, "text/plain", "an-older-token"));
	}

	@Test
	void aStreamStartsWithTheCurrentToken() {
		expectEvents("/token/events", "/token/events", "token");
		expectEvents("/token/{account}/events", "/token/sim/events", "token");
	}

	@Test
	void badRequests() {
		for (String[] paths : new String[][] { { "/token", "/token" }, { "/token/{account}", "/token/sim" } }) {
			expect(400, "GET", paths[0], send("GET", paths[1] + "?minValidity=86401", KEY));
			expect(400, "GET", paths[0], send("GET", paths[1] + "?minValidity=-1", KEY));
			expect(400, "GET", paths[0], send("GET", paths[1] + "?minValidity=soon", KEY));
			expect(400, "GET", paths[0], exchange(request(paths[1], KEY).method("GET", BodyPublishers.ofString("x"))));
		}
		expect(400, "GET", "/token/events",
				exchange(request("/token/events", KEY).method("GET", BodyPublishers.ofString("x"))));
		expect(400, "GET", "/token/{account}/events",
				exchange(request("/token/sim/events", KEY).method("GET", BodyPublishers.ofString("x"))));
		expect(400, "POST", "/token/refused", post("/token/refused", KEY, "text/plain", " "));
		expect(400, "POST", "/token/{account}/refused",
				post("/token/sim/refused", KEY, "application/json", "{\"token\":1}"));
		everyOperation(400, "k".repeat(300));
	}

	@Test
	void withoutAKnownKeyEveryOperationIsUnauthorized() {
		everyOperation(401, null);
		everyOperation(401, "not-a-client-key");
		for (String operation : OPERATIONS) {
			String[] parts = operation.split(" ");
			String path = concrete(parts[1]);
			HttpRequest.Builder basic = request(path, null).header("Authorization", "Basic c2ltOmRlbW8=");
			expect(401, parts[0], parts[1], exchange(parts[0].equals("POST")
					? basic.header("Content-Type", "text/plain").POST(BodyPublishers.ofString("t")) : basic));
		}
	}

	@Test
	void aKeyThatMayNotReadTheAccountIsForbidden() {
		everyOperation(403, "stranger-key");
	}

	@Test
	void anUnknownAccountIsNotFound() {
		expect(404, "GET", "/token/{account}", send("GET", "/token/nobody", KEY));
		expect(404, "POST", "/token/{account}/refused", post("/token/nobody/refused", KEY, "text/plain", "t"));
		expect(404, "GET", "/token/{account}/events", send("GET", "/token/nobody/events", KEY));
	}

	@Test
	void unsupportedMediaTypes() {
		expect(406, "GET", "/token", send("GET", "/token", KEY, "Accept", "application/xml"));
		expect(406, "GET", "/token/{account}", send("GET", "/token/sim", KEY, "Accept", "application/xml"));
		for (String[] paths : new String[][] { { "/token/refused", "/token/refused" },
				{ "/token/{account}/refused", "/token/sim/refused" } }) {
			expect(406, "POST", paths[0],
					exchange(request(paths[1], KEY).header("Accept", "text/plain")
						.header("Content-Type", "text/plain")
						.POST(BodyPublishers.ofString("t"))));
			expect(415, "POST", paths[0], post(paths[1], KEY, "application/xml", "<token/>"));
		}
	}

	@Test
	void requestsOverTheLimits() {
		for (String operation : OPERATIONS) {
			String[] parts = operation.split(" ");
			String path = concrete(parts[1]);
			expect(414, parts[0], parts[1],
					exchange(withBody(parts[0], request(path + "?padding=" + "p".repeat(2100), KEY))));
			expect(431, parts[0], parts[1],
					exchange(withBody(parts[0], request(path, KEY).header("X-Padding", "p".repeat(17_000)))));
		}
		for (String[] paths : new String[][] { { "/token/refused", "/token/refused" },
				{ "/token/{account}/refused", "/token/sim/refused" }, { GATEWAY, "/tradovate/sim/user/list" } }) {
			expect(411, "POST", paths[0], exchange(request(paths[1], KEY).header("Content-Type", "text/plain")
				.POST(BodyPublishers.fromPublisher(BodyPublishers.ofString("t")))));
			expect(413, "POST", paths[0], post(paths[1], KEY, "text/plain", "t".repeat(64 * 1024 + 1)));
		}
	}

	@Test
	void aValidityNoTokenOfTradovatesHasIsUnprocessable() {
		expect(422, "GET", "/token", send("GET", "/token?minValidity=86400", KEY));
		expect(422, "GET", "/token/{account}", send("GET", "/token/sim?minValidity=86400", KEY));
	}

	@Test
	void aSecondForcedRenewalWithinTheForcedIntervalIsLimited() {
		// tokens live 4800 s: 30 s later the token held is too short for 4790 s
		CLOCK.advance(Duration.ofSeconds(30));
		expect(200, "GET", "/token", send("GET", "/token?minValidity=4790", KEY));
		CLOCK.advance(Duration.ofSeconds(30));

		expect(429, "GET", "/token", send("GET", "/token?minValidity=4790", KEY));
		expect(429, "GET", "/token/{account}", send("GET", "/token/sim?minValidity=4790", KEY));
	}

	@Test
	void aClientHoldingAllItsStreamsGetsNoOtherOne() {
		for (int i = 0; i < 3; i++) {
			EventStream stream = open("/token/events", "watcher-key");
			await().until(() -> !stream.events().isEmpty());
		}

		expect(429, "GET", "/token/events", send("GET", "/token/events", "watcher-key"));
		expect(429, "GET", "/token/{account}/events", send("GET", "/token/sim/events", "watcher-key"));
	}

	@Test
	void anAddressLockedOutAfterWrongKeysIsRefusedEverywhere() throws IOException {
		String from = "127.0.0.9";
		for (int i = 0; i <= 20; i++) {
			RawHttp.exchange(PORT, from, "GET /token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer wrong-key",
					new byte[0]);
		}

		for (String operation : OPERATIONS) {
			String[] parts = operation.split(" ");
			String path = concrete(parts[1]);
			String head = parts[0] + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY;
			byte[] body = parts[0].equals("POST") ? "t".getBytes(StandardCharsets.US_ASCII) : new byte[0];
			if (body.length > 0) {
				head += "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length;
			}
			expect(429, parts[0], parts[1], answer(RawHttp.exchange(PORT, from, head, body)));
		}
	}

	@Test
	@Order(Integer.MAX_VALUE - 1)
	void withoutATokenEveryOperationSaysWhyAndWhenToAskAgain() {
		String token = send("GET", "/token", KEY, "Accept", "text/plain").body();
		this.tradovate.stick(AuthOperation.LOGIN, Fault.htmlPage(502));
		this.tradovate.closeSessions("sim-user");
		try {
			expect(503, "POST", "/token/refused", post("/token/refused", KEY, "text/plain", token));
			expect(503, "POST", "/token/{account}/refused",
					post("/token/sim/refused", KEY, "application/json", "{\"accessToken\":\"" + token + "\"}"));
			expect(503, "GET", "/token", send("GET", "/token", KEY));
			expect(503, "GET", "/token/{account}", send("GET", "/token/sim", KEY));
			expect(503, "GET", GATEWAY, send("GET", "/tradovate/sim/account/list", KEY));
			expect(503, "POST", GATEWAY, post("/tradovate/sim/user/list", KEY, "application/json", "{}"));
			expectEvents("/token/events", "/token/events", "unavailable");
			expectEvents("/token/{account}/events", "/token/sim/events", "unavailable");
		}
		finally {
			this.tradovate.clearFaults();
			CLOCK.advance(Duration.ofSeconds(10));
			await().until(() -> send("GET", "/token", KEY).status() == 200);
		}
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void everyDocumentedAnswerWasSeen() {
		assertThat(contract.answers()).as("answers said to be unreachable are documented")
			.containsAll(UNREACHABLE.keySet());
		Set<String> unseen = new TreeSet<>(contract.unseen());
		unseen.removeAll(UNREACHABLE.keySet());
		assertThat(unseen).as("documented answers no test produced").isEmpty();
	}

	/** A path to call for a documented template. */
	private static String concrete(String template) {
		return template.replace("{account}", "sim").replace("{entity}", "account").replace("{operation}", "list");
	}

	/** The same refusal on every operation, with this key ({@code null}: none). */
	private void everyOperation(int status, String key) {
		for (String operation : OPERATIONS) {
			String[] parts = operation.split(" ");
			String path = concrete(parts[1]);
			expect(status, parts[0], parts[1], exchange(withBody(parts[0], request(path, key))));
		}
	}

	private Answer expect(int status, String method, String template, Answer answer) {
		assertThat(answer.status()).as(method + " " + template + ": " + answer).isEqualTo(status);
		contract.check(method, template, answer);
		return answer;
	}

	/**
	 * Opens a stream, waits for an event of this name, and holds the stream's head and
	 * every event it got until then to the document.
	 */
	private void expectEvents(String template, String path, String name) {
		EventStream stream = open(path, KEY);
		await().until(() -> stream.events().stream().anyMatch((event) -> event.type().equals(name)));
		HttpResponse.ResponseInfo head = stream.response();
		List<Event> events = stream.events()
			.stream()
			.map((event) -> new Event(event.type(), event.id(), event.data()))
			.toList();

		assertThat(head.statusCode()).isEqualTo(200);
		contract.checkEvents("GET", template, new Answer(head.statusCode(), head.headers().map(), ""), events);
	}

	private EventStream open(String path, String key) {
		EventStream stream = EventStream.open(PORT, path, key, null);
		this.streams.add(stream);
		return stream;
	}

	private Answer send(String method, String path, String key, String... headers) {
		HttpRequest.Builder request = request(path, key);
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return exchange(request.method(method, BodyPublishers.noBody()));
	}

	private Answer post(String path, String key, String contentType, String body) {
		return exchange(request(path, key).header("Content-Type", contentType).POST(BodyPublishers.ofString(body)));
	}

	/** A {@code POST} with a token as text; any other method as it is. */
	private static HttpRequest.Builder withBody(String method, HttpRequest.Builder request) {
		return method.equals("POST") ? request.header("Content-Type", "text/plain").POST(BodyPublishers.ofString("t"))
				: request.method(method, BodyPublishers.noBody());
	}

	private HttpRequest.Builder request(String path, String key) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
			.timeout(Duration.ofSeconds(30));
		return (key != null) ? request.header("Authorization", "Bearer " + key) : request;
	}

	private Answer exchange(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Answer answer(RawHttp.Answer raw) {
		return new Answer(raw.status(),
				raw.headers()
					.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey, (header) -> List.of(header.getValue()))),
				raw.body());
	}

}
