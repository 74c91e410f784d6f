package io.tokenbroker.tradovate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.account.Secret;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.tradovate.TradovateAnswer.Expired;
import io.tokenbroker.tradovate.TradovateAnswer.Failed;
import io.tokenbroker.tradovate.TradovateAnswer.Granted;
import io.tokenbroker.tradovate.TradovateAnswer.Identified;
import io.tokenbroker.tradovate.TradovateAnswer.Rejected;
import io.tokenbroker.tradovate.TradovateAnswer.Unreached;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact bytes the broker sends to Tradovate and how it reads what comes back, against
 * a mock HTTP server.
 */
class TradovateClientTests {

	private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	private final MockWebServer server = new MockWebServer();

	private TradovateAccount account;

	private TradovateClient client;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void start() throws IOException {
		this.server.start();
		URI baseUrl = URI.create(this.server.url("/v1").toString());
		Credentials credentials = new Credentials("trader", Secret.of("pa55word"), "my-app", "2.1", 4242,
				Secret.of("s3cret-api-key"), "device-1");
		this.account = new TradovateAccount("main", baseUrl, credentials);
		// generous: a class's first call starts Reactor Netty, slow on a loaded machine;
		// the tests of timeouts make their own client
		this.client = client(Duration.ofSeconds(10), 64 * 1024);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private TradovateClient client(Duration timeout, int maxBody) {
		return client(timeout, maxBody, 1000);
	}

	private TradovateClient client(Duration timeout, int maxBody, int connectTimeoutMillis) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
			.responseTimeout(timeout)
			.followRedirect(false);
		WebClient webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxBody))
			.build();
		return new TradovateClient(webClient, Clock.fixed(NOW, ZoneOffset.UTC), timeout, Duration.ofHours(24),
				this.meters);
	}

	@Test
	void loginPostsTheDocumentedJsonBody() throws InterruptedException {
		this.server.enqueue(token("{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T09:20:00Z\"}"));

		this.client.login(this.account, LoginRequest.of(this.account.credentials())).join();

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/accesstokenrequest");
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(request.getBody().utf8())
			.isEqualTo("{\"name\":\"trader\",\"password\":\"pa55word\",\"appId\":\"my-app\","
					+ "\"appVersion\":\"2.1\",\"cid\":4242,\"sec\":\"s3cret-api-key\",\"deviceId\":\"device-1\"}");
	}

	@Test
	void penaltyRetryResendsTheIdenticalBodyPlusTheTicket() throws InterruptedException {
		this.server.enqueue(token("{\"p-ticket\":\"T-123\",\"p-time\":7}"));
		this.server.enqueue(token("{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T09:20:00Z\"}"));
		LoginRequest first = LoginRequest.of(this.account.credentials());

		TradovateAnswer penalty = this.client.login(this.account, first).join();
		this.client.login(this.account, first.withPenaltyTicket(((TradovateAnswer.Penalized) penalty).ticket())).join();

		JsonMapper json = JsonMapper.builder().build();
		JsonNode original = json.readTree(this.server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
		JsonNode resent = json.readTree(this.server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
		assertThat(penalty).isEqualTo(new TradovateAnswer.Penalized("T-123", Duration.ofSeconds(7), false));
		assertThat(original.has("p-ticket")).isFalse();
		assertThat(resent.get("p-ticket").stringValue()).isEqualTo("T-123");
		((tools.jackson.databind.node.ObjectNode) resent).remove("p-ticket");
		assertThat(resent).isEqualTo(original);
	}

	@Test
	void renewalSendsTheCurrentTokenAsBearerAndNoBody() throws InterruptedException {
		this.server.enqueue(token("{\"accessToken\":\"A2\",\"expirationTime\":\"2026-01-15T09:20:00.056Z\"}"));

		TradovateAnswer answer = this.client.renew(this.account, "current-token").join();

		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/renewaccesstoken");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer current-token");
		assertThat(request.getBodySize()).isZero();
		assertThat(answer).isInstanceOf(Granted.class);
		assertThat(((Granted) answer).token().expiresAt()).isEqualTo(Instant.parse("2026-01-15T09:20:00.056Z"));
	}

	@Test
	void expiryFollowsTradovatesDateHeaderNotTheLocalClock() {
		// Tradovate's clock is one hour ahead of ours: the token still lives 80 minutes
		this.server.enqueue(token("{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T10:20:00Z\"}").newBuilder()
			.setHeader("Date", "Thu, 15 Jan 2026 09:00:00 GMT")
			.build());

		TradovateAnswer answer = this.client.renew(this.account, "t").join();

		assertThat(answer).as(answer.toString()).isInstanceOf(Granted.class);
		Granted granted = (Granted) answer;
		assertThat(granted.token().lifetime()).isEqualTo(Duration.ofMinutes(80));
		assertThat(granted.token().expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(80)).minusSeconds(1));
	}

	@Test
	void anErrorTextEchoingThePresentedTokenIsRedacted() {
		this.server.enqueue(token("{\"errorText\":\"Token tok-123 (user trader, password pa55word) expired\"}"));

		TradovateAnswer answer = this.client.renew(this.account, "tok-123").join();

		// a renewal refused in words: the session checks with /auth/me what it means
		assertThat(answer).isEqualTo(new Rejected(
				"Tradovate: Token [token " + Secret.fingerprint("tok-123") + "] (user trader, password ***) expired"));
	}

	@Test
	void meReadsTheUser() throws InterruptedException {
		this.server.enqueue(token("{\"userId\":77,\"name\":\"trader\",\"email\":\"t@example.invalid\"}"));

		TradovateAnswer answer = this.client.me(this.account, "current-token").join();

		assertThat(answer).isEqualTo(new Identified(77, "trader"));
		RecordedRequest request = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getTarget()).isEqualTo("/v1/auth/me");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer current-token");
	}

	@Test
	void unauthorizedRenewalMeansTheTokenIsDead() {
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		assertThat(this.client.renew(this.account, "t").join()).isInstanceOf(Expired.class);
	}

	@Test
	void anAnswerThatNeverCompletesIsAFailureAfterTheTimeout() {
		this.client = client(Duration.ofMillis(300), 64 * 1024);
		this.server.enqueue(token("{}").newBuilder().headersDelay(5, TimeUnit.SECONDS).build());

		assertThat(this.client.login(this.account, LoginRequest.of(this.account.credentials())).join())
			.isEqualTo(new Failed("no complete answer within 300 ms"));
	}

	@Test
	void aBodyThatTricklesInIsCutOffByTheTotalTimeout() {
		this.client = client(Duration.ofMillis(500), 64 * 1024);
		String body = "{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T09:20:00Z\"}";
		// a few bytes every 100 ms: each read is quick, the whole answer is not
		this.server.enqueue(token(body).newBuilder().throttleBody(4, 100, TimeUnit.MILLISECONDS).build());

		assertThat(this.client.login(this.account, LoginRequest.of(this.account.credentials())).join())
			.isInstanceOf(Failed.class);
	}

	@Test
	void aHugeBodyIsNotReadIntoMemory() {
		this.client = client(Duration.ofSeconds(5), 1024);
		this.server.enqueue(token("{\"accessToken\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}"));

		assertThat(this.client.login(this.account, LoginRequest.of(this.account.credentials())).join())
			.isEqualTo(new Failed("answer body exceeds the configured maximum size"));
	}

	@Test
	void redirectsAreNotFollowed() {
		this.server.enqueue(new MockResponse.Builder().code(302)
			.setHeader("Location", "http://attacker.invalid/v1/auth/accesstokenrequest")
			.build());

		TradovateAnswer answer = this.client.login(this.account, LoginRequest.of(this.account.credentials())).join();

		assertThat(answer).isInstanceOf(Failed.class);
		assertThat(((Failed) answer).reason()).contains("attacker.invalid").contains("never followed");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void everyCallIsTimedByAccountOperationAndOutcome() {
		this.server.enqueue(token("{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T09:20:00Z\"}"));
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.server.enqueue(new MockResponse.Builder().code(429).build());
		this.server.enqueue(new MockResponse.Builder().code(503).build());

		this.client.login(this.account, LoginRequest.of(this.account.credentials())).join();
		this.client.renew(this.account, "t").join();
		this.client.renew(this.account, "t").join();
		this.client.me(this.account, "t").join();

		assertThat(calls("login", "granted").count()).isEqualTo(1);
		assertThat(calls("renew", "expired").count()).isEqualTo(1);
		assertThat(calls("renew", "locked_out").count()).isEqualTo(1);
		assertThat(calls("me", "failed").count()).isEqualTo(1);
		assertThat(calls("login", "granted").totalTime(TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void aRefusedConnectionNeverReachedTradovate() throws IOException {
		int port;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = closed.getLocalPort();
		}

		assertThat(login(at("http://127.0.0.1:" + port + "/v1")))
			.isEqualTo(new Unreached("cannot reach Tradovate (connection refused)"));
		assertThat(calls("login", "unreached").count()).isOne();
	}

	@Test
	void aConnectTimeoutNeverReachedTradovate() throws IOException {
		// a listener that accepts nothing, its queue full: the next connection is never
		// accepted and times out
		try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<Socket> queued = new ArrayList<>();
			try {
				for (int i = 0; i < 4; i++) {
					Socket socket = new Socket();
					queued.add(socket);
					try {
						socket.connect(full.getLocalSocketAddress(), 200);
					}
					catch (IOException ex) {
						// the queue is full
					}
				}
				this.client = client(Duration.ofSeconds(5), 64 * 1024, 300);

				assertThat(login(at("http://127.0.0.1:" + full.getLocalPort() + "/v1")))
					.isEqualTo(new Unreached("cannot reach Tradovate (connect timeout)"));
			}
			finally {
				for (Socket socket : queued) {
					socket.close();
				}
			}
		}
	}

	@Test
	void aNameThatDoesNotResolveOrAFailedTlsHandshakeNeverReachedTradovate() {
		// scripted as the connector reports them: a test never looks a name up
		this.client = failingWith(new UnknownHostException("Failed to resolve 'live.tradovateapi.invalid'"));
		assertThat(login(this.account)).isEqualTo(new Unreached("cannot reach Tradovate (unknown host)"));

		this.client = failingWith(new SSLHandshakeException("PKIX path building failed"));
		assertThat(this.client.renew(this.account, "t").join())
			.isEqualTo(new Unreached("cannot reach Tradovate (TLS handshake failed)"));
	}

	@Test
	void aRequestSentAndThenCutOffMayHaveReachedTradovate() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
				try (Socket socket = server.accept()) {
					// the request arrived: no answer
					socket.getInputStream().read(new byte[1024]);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});

			TradovateAnswer answer = login(at("http://127.0.0.1:" + server.getLocalPort() + "/v1"));
			cut.join();

			assertThat(answer).isInstanceOf(Failed.class);
			assertThat(calls("login", "failed").count()).isOne();
		}

		this.client = failingWith(new SSLException("connection reset after the handshake"));
		assertThat(login(this.account)).isInstanceOf(Failed.class);
	}

	private TradovateAnswer login(TradovateAccount account) {
		return this.client.login(account, LoginRequest.of(account.credentials())).join();
	}

	private TradovateAccount at(String baseUrl) {
		return new TradovateAccount("main", URI.create(baseUrl), this.account.credentials());
	}

	private TradovateClient failingWith(Throwable cause) {
		WebClient webClient = WebClient.builder()
			.exchangeFunction((request) -> Mono
				.error(new WebClientRequestException(cause, request.method(), request.url(), request.headers())))
			.build();
		return new TradovateClient(webClient, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(2),
				Duration.ofHours(24), this.meters);
	}

	private Timer calls(String operation, String outcome) {
		return this.meters.get("broker.upstream.calls")
			.tags("account", "main", "operation", operation, "outcome", outcome)
			.timer();
	}

	private static MockResponse token(String json) {
		return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(json).build();
	}

}
