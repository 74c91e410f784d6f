package io.tokenbroker;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.operations.TracingOnlyWithAnEndpoint;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.LoopbackWebSocket;
import io.tokenbroker.testing.OtlpReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs login, renewal, penalty, captcha, refused-credential and failure flows with known
 * secret values, every logger at TRACE (only the loggers the shipped configuration pins
 * stay quieter) and every actuator endpoint exposed, then looks for the password, the API
 * secret, the client key and every token issued in everything printed, as text, as hex
 * and as Base64, in every HTTP response (entity tags and 304s included), in every frame
 * of a gateway WebSocket and in every span exported over OTLP; a token event stream stays
 * open throughout, and the gateway relays REST calls and a WebSocket.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.retry.initial-back-off=1s", "broker.retry.max-back-off=2s",
		"simulator.users.sim-user.password=" + SecretHygieneTests.PASSWORD, "simulator.users.sim-user.app-id=sim-app",
		"simulator.users.sim-user.cid=1", "simulator.users.sim-user.secret=" + SecretHygieneTests.API_SECRET,
		"broker.accounts.sim.password=" + SecretHygieneTests.PASSWORD,
		"broker.accounts.sim.secret=" + SecretHygieneTests.API_SECRET,
		"broker.clients.ops.key-sha256=" + SecretHygieneTests.CLIENT_KEY_SHA256, "broker.clients.ops.accounts=*",
		"broker.clients.ops.admin=true", "broker.clients.ops.gateway=true",
		"management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=heapdump",
		"logging.level.root=TRACE", "logging.level.org.springframework.web=TRACE", "logging.level.org.apache=TRACE",
		"logging.level.io.netty=TRACE", "logging.level.reactor=TRACE",
		"management.opentelemetry.tracing.export.schedule-delay=50ms" })
@ExtendWith(OutputCaptureExtension.class)
class SecretHygieneTests extends AgainstEmbeddedSimulator {

	static final String PASSWORD = "Pw-7c1e-never-print";

	static final String API_SECRET = "Sec-91ab-never-print";

	static final String CLIENT_KEY = "Key-4f2a-never-print";

	// SHA-256 of CLIENT_KEY
	static final String CLIENT_KEY_SHA256 = "58aac4783d12b9ae70ef8fa9825955e0dfb25f0d99dad3f97bfbf8110e996806";

	private static final OtlpReceiver collector = new OtlpReceiver();

	private final BrokerCaller ops = caller(CLIENT_KEY);

	private final List<HttpResponse<String>> responses = new ArrayList<>();

	private final Set<String> tokens = new LinkedHashSet<>();

	@DynamicPropertySource
	static void exportSpans(DynamicPropertyRegistry registry) {
		registry.add(TracingOnlyWithAnEndpoint.ENDPOINT, collector::endpoint);
	}

	@AfterAll
	static void closeCollector() {
		collector.close();
	}

	@Test
	void noSecretOrTokenIsEverPrintedOrAnswered(CapturedOutput output) throws Exception {
		assertThat(CallerKeys.hash(CLIENT_KEY)).isEqualTo(CLIENT_KEY_SHA256);
		awaitToken();
		call("/token", "Accept", "text/plain");
		// a stream that receives every token below, and a conditional request
		EventStream stream = EventStream.open(PORT, "/token/events", CLIENT_KEY, null);
		await().until(() -> stream.tokens().size() == 1);
		String etag = call("/token").headers().firstValue("ETag").orElseThrow();
		assertThat(call("/token", "If-None-Match", etag).statusCode()).isEqualTo(304);

		// the gateway: REST and a WebSocket, the broker's token added upstream, the key
		// in
		// the socket's authorize frame
		call("/tradovate/sim/account/list");
		this.responses.add(this.ops.post("/tradovate/sim/user/syncrequest", "application/json", "{}"));
		List<String> frames = new ArrayList<>();
		try (LoopbackWebSocket socket = LoopbackWebSocket.open("127.0.0.1", PORT, "/tradovate/sim/md/websocket",
				Map.of())) {
			socket.next(Duration.ofSeconds(10));
			socket.send("authorize\n1\n\n" + CLIENT_KEY);
			assertThat(socket.next(Duration.ofSeconds(10))).isEqualTo("a[{\"s\":200,\"i\":1}]");
			socket.send("md/subscribeQuote\n2\n\n{\"symbol\":\"ESM6\"}");
			socket.next(Duration.ofSeconds(10));
			socket.next(Duration.ofSeconds(10));
			frames.addAll(socket.received());
		}

		// renewal
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().successfulRenewals() == 1);
		awaitToken();

		// penalty, then the login resent with its ticket
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(5), false));
		expireAndRelogin();
		await().until(() -> this.tradovate.stats().penaltiesIssued() == 1);
		call("/token");
		CLOCK.advance(Duration.ofSeconds(6));
		awaitToken();

		// Tradovate echoing the password in an error text, then a captcha
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.errorText("Incorrect password " + PASSWORD));
		expireAndRelogin();
		await().until(() -> this.tradovate.stats().loginCalls() == 4);
		call("/token");
		CLOCK.advance(Duration.ofHours(2));
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(5), true));
		await().until(() -> this.tradovate.stats().captchasIssued() == 1);
		call("/token");
		CLOCK.advance(Duration.ofHours(2));
		awaitToken();

		// failing renewals, a renewal refused with 401, a wrong key
		this.tradovate.stick(AuthOperation.RENEW, Fault.status(503));
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().renewalCalls() >= 2);
		this.tradovate.clearFaults();
		this.tradovate.closeSessions("sim-user");
		CLOCK.advance(Duration.ofSeconds(3));
		awaitToken();
		this.responses.add(caller("not-" + CLIENT_KEY).get("/token"));

		for (String endpoint : List.of("env", "configprops", "health", "health/tradovate", "info", "tokens",
				"prometheus", "loggers", "mappings", "beans", "conditions", "metrics", "scheduledtasks")) {
			call("/actuator/" + endpoint);
		}

		assertThat(stream.tokens()).hasSizeGreaterThanOrEqualTo(4);
		stream.close();
		assertThat(this.tokens).hasSizeGreaterThanOrEqualTo(4);
		List<String> secrets = new ArrayList<>(List.of(PASSWORD, API_SECRET, CLIENT_KEY));
		secrets.addAll(this.tokens);
		await().until(() -> collector.spans().stream().anyMatch((span) -> span.name().equals("tradovate renew")));
		String exported = String.join("\n", collector.payloads());
		String printed = Encodings.withoutTestFramework(output.getAll());
		for (String secret : secrets) {
			for (String encoded : Encodings.of(secret)) {
				assertThat(printed).as("printed output, %s encoded", encoded).doesNotContain(encoded);
				assertThat(exported).as("exported spans, %s encoded", encoded).doesNotContain(encoded);
			}
			assertThat(Encodings.hexDumpsIn(printed)).as("hex dumps in the output").doesNotContain(secret);
			assertThat(String.join("\n", frames)).as("frames the gateway sent its caller").doesNotContain(secret);
			for (HttpResponse<String> response : this.responses) {
				if (!isTokenResponse(response)) {
					assertThat(response.body()).as("answer of %s", response.uri()).doesNotContain(secret);
				}
				assertThat(response.headers().map().toString()).doesNotContain(secret);
			}
		}
		assertThat(printed).contains("Incorrect password ***");
	}

	private void expireAndRelogin() {
		this.tradovate.closeSessions("sim-user");
		CLOCK.advance(Duration.ofSeconds(46));
	}

	private void awaitToken() {
		await().until(() -> call("/token").statusCode() == 200);
		JsonNode token = BrokerCaller.body(this.responses.get(this.responses.size() - 1));
		this.tokens.add(token.get("accessToken").stringValue());
		this.tokens.add(token.get("mdAccessToken").stringValue());
	}

	private HttpResponse<String> call(String path) {
		HttpResponse<String> response = this.ops.get(path);
		this.responses.add(response);
		return response;
	}

	private HttpResponse<String> call(String path, String header, String value) {
		HttpResponse<String> response = this.ops.get(path, header, value);
		this.responses.add(response);
		return response;
	}

	/** The forms in which a secret could be printed. */
	static final class Encodings {

		/** The secret as text, as hex (either case) and as Base64 at each alignment. */
		static List<String> of(String secret) {
			byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
			List<String> forms = new ArrayList<>(
					List.of(secret, HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes)));
			for (int offset = 0; offset < 3; offset++) {
				byte[] shifted = new byte[offset + bytes.length];
				System.arraycopy(bytes, 0, shifted, offset, bytes.length);
				for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
					String encoded = encoder.withoutPadding().encodeToString(shifted);
					// the characters that depend on the secret alone
					forms.add(encoded.substring((offset == 0) ? 0 : 4, encoded.length() - 4));
				}
			}
			return forms;
		}

		/**
		 * The output without the test framework's own lines: at TRACE it prints this
		 * test's configuration, secrets included, which the broker never sees printed.
		 */
		static String withoutTestFramework(String output) {
			StringBuilder kept = new StringBuilder();
			boolean skipping = false;
			for (String line : output.split("\n")) {
				if (line.matches("^\\d{4}-\\d{2}-\\d{2}T.*")) {
					skipping = line.matches(".*(TestContext|TestExecutionListener|ContextLoaderDelegate)\\w*\\s*:.*");
				}
				if (!skipping) {
					kept.append(line).append('\n');
				}
			}
			return kept.toString();
		}

		/** The bytes of every hex dump (space-separated pairs) in the output, as text. */
		static String hexDumpsIn(String output) {
			StringBuilder bytes = new StringBuilder();
			Matcher pairs = Pattern.compile("(?:\\b[0-9a-fA-F]{2}(?: |$)){4,}", Pattern.MULTILINE).matcher(output);
			while (pairs.find()) {
				for (String pair : pairs.group().strip().split(" ")) {
					bytes.append((char) Integer.parseInt(pair, 16));
				}
			}
			return bytes.toString();
		}

	}

	// the one answer that must carry a token
	private static boolean isTokenResponse(HttpResponse<String> response) {
		return response.statusCode() == 200 && response.uri().getPath().startsWith("/token");
	}

}
