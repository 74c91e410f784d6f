package io.tokenbroker.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tokenbroker.testing.RawHttp;

import static io.tokenbroker.simulator.TestSimulators.loginBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator over real HTTP, in the application with the broker switched off, as in
 * standalone mode.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "simulator.enabled=true", "broker.enabled=false" })
class SimulatorHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private SimulatedTradovate tradovate;

	@BeforeEach
	@AfterEach
	void reset() {
		this.tradovate.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v1/auth/accesstokenrequest", "/v1/auth/accessTokenRequest" })
	void logsInOnBothPathCasings(String path) throws Exception {
		HttpResponse<String> response = post(path,
				"{\"name\":\"sim-user\",\"password\":\"sim-password\",\"appId\":\"sim-app\",\"appVersion\":\"1.0\","
						+ "\"cid\":\"1\",\"sec\":\"sim-secret\",\"unknownField\":{\"nested\":true}}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("accessToken").asString()).hasSize(128);
		assertThat(body.get("mdAccessToken").asString()).hasSize(128);
		assertThat(body.get("expirationTime").asString())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(this.tradovate.stats().successfulLogins()).isOne();
	}

	@Test
	void renewsAndAnswersMeWithABearerToken() throws Exception {
		String token = login();

		HttpResponse<String> renewal = get("/v1/auth/renewaccesstoken", token);
		String renewed = json.readTree(renewal.body()).get("accessToken").asString();
		HttpResponse<String> me = get("/v1/auth/me", renewed);

		assertThat(renewal.statusCode()).isEqualTo(200);
		assertThat(renewed).isNotEqualTo(token);
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(json.readTree(me.body()).get("name").asString()).isEqualTo("sim-user");
		assertThat(this.tradovate.stats().activeSessions("sim-user")).isOne();
	}

	@Test
	void refusesMissingAndUnknownTokensWith401() throws Exception {
		HttpResponse<String> renewal = get("/v1/auth/renewaccesstoken", null);
		HttpResponse<String> me = get("/v1/auth/me", "unknown");

		assertThat(renewal.statusCode()).isEqualTo(401);
		assertThat(renewal.body()).isEmpty();
		assertThat(me.statusCode()).isEqualTo(401);
		assertThat(this.tradovate.stats().failedMeCalls()).isOne();
	}

	@Test
	void answersMalformedJsonWith400() throws Exception {
		HttpResponse<String> response = post("/v1/auth/accesstokenrequest", "{\"name\":\"sim-user\",\"pass");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json.readTree(response.body()).get("errorText").asString()).isEqualTo("Malformed JSON request body");
	}

	@Test
	void answersWrongCredentialsWithErrorText() throws Exception {
		HttpResponse<String> response = post("/v1/auth/accesstokenrequest",
				loginBody("sim-user", "wrong", "sim-app", "1", "sim-secret", null));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).get("errorText").asString())
			.isEqualTo(SimulatedTradovate.WRONG_CREDENTIALS);
	}

	@Test
	void datesEveryResponseWithTheSimulatorClock() throws Exception {
		this.tradovate.setClockOffset(Duration.ofHours(-3));

		HttpResponse<String> login = post("/v1/auth/accesstokenrequest",
				loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", null));
		HttpResponse<String> refused = get("/v1/auth/me", null);
		HttpResponse<String> stats = get("/simulator/stats", null);

		for (HttpResponse<String> response : List.of(login, refused, stats)) {
			assertThat(response.headers().allValues("Date")).hasSize(1);
			assertThat(date(response)).isBetween(this.tradovate.now().minusSeconds(10),
					this.tradovate.now().plusSeconds(1));
		}
		Instant expiration = Instant.parse(json.readTree(login.body()).get("expirationTime").asString());
		assertThat(Duration.between(date(login), expiration)).isBetween(Duration.ofMinutes(79), Duration.ofMinutes(81));
	}

	@Test
	void delaysWithoutLosingTheAnswer() throws Exception {
		HttpResponse<String> added = post("/simulator/faults",
				"{\"operation\":\"login\",\"kind\":\"delay\",\"delayMillis\":400}");
		long start = System.nanoTime();

		HttpResponse<String> response = post("/v1/auth/accesstokenrequest",
				loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", null));

		assertThat(added.statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).has("accessToken")).isTrue();
		assertThat(response.headers().allValues("Date")).hasSize(1);
	}

	@Test
	void injectsFaultsThroughTheAdminApi() throws Exception {
		post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"status\",\"status\":503}");
		post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"html\",\"status\":502}");
		post("/simulator/faults",
				"{\"operation\":\"me\",\"kind\":\"raw\",\"status\":200,\"contentType\":\"text/plain\",\"body\":\"hi\"}");
		post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"error-text\",\"errorText\":\"nope\"}");
		post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"penalty\",\"pTimeSeconds\":12,\"captcha\":true}");
		post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"malformed-json\",\"times\":2}");

		HttpResponse<String> unavailable = get("/v1/auth/me", null);
		HttpResponse<String> html = get("/v1/auth/me", null);
		HttpResponse<String> raw = get("/v1/auth/me", null);
		HttpResponse<String> errorText = get("/v1/auth/me", null);
		HttpResponse<String> penalty = get("/v1/auth/me", null);
		HttpResponse<String> malformed = get("/v1/auth/me", null);
		HttpResponse<String> malformedAgain = get("/v1/auth/me", null);

		assertThat(unavailable.statusCode()).isEqualTo(503);
		assertThat(unavailable.body()).isEmpty();
		assertThat(html.statusCode()).isEqualTo(502);
		assertThat(html.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(raw.body()).isEqualTo("hi");
		assertThat(raw.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(json.readTree(errorText.body()).get("errorText").asString()).isEqualTo("nope");
		JsonNode penaltyBody = json.readTree(penalty.body());
		assertThat(penaltyBody.get("p-time").asLong()).isEqualTo(12);
		assertThat(penaltyBody.get("p-captcha").asBoolean()).isTrue();
		assertThat(malformed.body()).isEqualTo(Fault.TRUNCATED_JSON);
		assertThat(malformedAgain.body()).isEqualTo(Fault.TRUNCATED_JSON);
		assertThat(get("/v1/auth/me", null).statusCode()).isEqualTo(401);

		JsonNode stats = json.readTree(get("/simulator/stats", null).body());
		assertThat(stats.get("meCalls").asLong()).isEqualTo(8);
		assertThat(stats.get("faultsInjected").asLong()).isEqualTo(7);
		assertThat(stats.get("captchasIssued").asLong()).isEqualTo(1);
	}

	@Test
	void stickyFaultsLastUntilDeleted() throws Exception {
		post("/simulator/faults", "{\"operation\":\"renew\",\"kind\":\"status\",\"status\":429,\"sticky\":true}");

		assertThat(get("/v1/auth/renewaccesstoken", null).statusCode()).isEqualTo(429);
		assertThat(get("/v1/auth/renewaccesstoken", null).statusCode()).isEqualTo(429);
		assertThat(send(HttpRequest.newBuilder(uri("/simulator/faults")).DELETE()).statusCode()).isEqualTo(204);
		assertThat(get("/v1/auth/renewaccesstoken", null).statusCode()).isEqualTo(401);
	}

	@Test
	void refusesIncompleteFaults() throws Exception {
		HttpResponse<String> noStatus = post("/simulator/faults", "{\"operation\":\"me\",\"kind\":\"status\"}");
		HttpResponse<String> badOperation = post("/simulator/faults", "{\"operation\":\"x\",\"kind\":\"status\"}");
		HttpResponse<String> malformed = post("/simulator/faults", "{\"operation\":");

		assertThat(noStatus.statusCode()).isEqualTo(400);
		assertThat(json.readTree(noStatus.body()).get("errorText").asString()).contains("status");
		assertThat(badOperation.statusCode()).isEqualTo(400);
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(this.tradovate.pendingFaults(AuthOperation.ME)).isZero();
	}

	@Test
	void refusesAbsurdFaultsAndSettings() throws Exception {
		HttpResponse<String> endless = post("/simulator/faults",
				"{\"operation\":\"login\",\"kind\":\"delay\",\"delayMillis\":" + Long.MAX_VALUE + "}");
		HttpResponse<String> badStatus = post("/simulator/faults",
				"{\"operation\":\"login\",\"kind\":\"status\",\"status\":1000}");
		HttpResponse<String> eternalToken = send(HttpRequest.newBuilder(uri("/simulator/settings"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"tokenLifetimeSeconds\":" + Long.MAX_VALUE + "}")));

		assertThat(endless.statusCode()).isEqualTo(400);
		assertThat(json.readTree(endless.body()).get("errorText").asString())
			.isEqualTo("delayMillis must be between 0 and 300000");
		assertThat(badStatus.statusCode()).isEqualTo(400);
		assertThat(eternalToken.statusCode()).isEqualTo(400);
		assertThat(this.tradovate.pendingFaults(AuthOperation.LOGIN)).isZero();
		assertThat(this.tradovate.tokenLifetime()).isEqualTo(Duration.ofMinutes(80));
	}

	@Test
	void refusesHugeAndUnsizedBodiesBeforeReadingThem() throws Exception {
		RawHttp.Answer huge = RawHttp.exchange(this.port,
				"POST /v1/auth/accesstokenrequest HTTP/1.1\r\n"
						+ "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 300000000",
				new byte[0]);
		RawHttp.Answer unsized = RawHttp.exchange(this.port,
				"POST /v1/auth/accesstokenrequest HTTP/1.1\r\n"
						+ "Host: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
				"5\r\n{\"a\":\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));

		assertThat(huge.status()).isEqualTo(413);
		assertThat(huge.body()).contains("may be at most 65536 bytes");
		assertThat(unsized.status()).isEqualTo(411);
		assertThat(this.tradovate.stats().loginCalls()).isZero();
	}

	@Test
	void changesSettingsAndResets() throws Exception {
		login();
		HttpResponse<String> changed = send(HttpRequest.newBuilder(uri("/simulator/settings"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"tokenLifetimeSeconds\":120,\"clockOffsetSeconds\":-60}")));

		JsonNode settings = json.readTree(changed.body());
		assertThat(settings.get("tokenLifetimeSeconds").asLong()).isEqualTo(120);
		assertThat(settings.get("clockOffsetSeconds").asLong()).isEqualTo(-60);
		assertThat(this.tradovate.tokenLifetime()).isEqualTo(Duration.ofSeconds(120));
		assertThat(this.tradovate.clockOffset()).isEqualTo(Duration.ofSeconds(-60));

		assertThat(post("/simulator/reset", "").statusCode()).isEqualTo(204);

		JsonNode stats = json.readTree(get("/simulator/stats", null).body());
		assertThat(stats.get("loginCalls").asLong()).isZero();
		assertThat(stats.get("activeSessions").isEmpty()).isTrue();
		assertThat(json.readTree(get("/simulator/settings", null).body()).get("tokenLifetimeSeconds").asLong())
			.isEqualTo(4800);
	}

	@Test
	void closesSessionsThroughTheAdminApi() throws Exception {
		String token = login();

		HttpResponse<String> closed = send(HttpRequest.newBuilder(uri("/simulator/sessions/sim-user")).DELETE());

		assertThat(json.readTree(closed.body()).get("closed").asInt()).isOne();
		assertThat(get("/v1/auth/me", token).statusCode()).isEqualTo(401);
	}

	private String login() throws IOException, InterruptedException {
		HttpResponse<String> response = post("/v1/auth/accesstokenrequest",
				loginBody("sim-user", "sim-password", "sim-app", "1", "sim-secret", null));
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body()).get("accessToken").asString();
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static Instant date(HttpResponse<?> response) {
		String date = response.headers().firstValue("Date").orElseThrow();
		return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
	}

}
