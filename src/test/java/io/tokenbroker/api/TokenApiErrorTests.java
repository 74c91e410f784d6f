package io.tokenbroker.api;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error a caller of {@code GET /token} can get, each as problem details, over real
 * HTTP. Tradovate is unreachable here (a closed local port), so a permitted caller gets
 * 503.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "broker.accounts.main.base-url=http://127.0.0.1:9/v1", "broker.accounts.main.username=trader",
				"broker.accounts.main.password=pa55word", "broker.accounts.main.app-id=app",
				"broker.accounts.main.cid=1", "broker.accounts.main.secret=s3cret",
				"broker.accounts.other.base-url=http://127.0.0.1:9/v1", "broker.accounts.other.username=trader2",
				"broker.accounts.other.password=pa55word2", "broker.accounts.other.app-id=app",
				"broker.accounts.other.cid=2", "broker.accounts.other.secret=s3cret2", "broker.default-account=main",
				// SHA-256 of "bot-key" and of "reporting-key"
				"broker.clients.bot.key-sha256=3a1fb6628e3632ba5935f8317570b197c8b3d576dd619f1c6fd917efc3fa6366",
				"broker.clients.bot.accounts=main",
				"broker.clients.reporting.key-sha256=540a37a56f64c28b55bf6ca3b97ce3f7df5e8a78cd117b8f44b8f52d36460eb9",
				"broker.clients.reporting.accounts=other",
				"broker.clients.ops.key-sha256=" + TokenApiErrorTests.OPS_KEY_SHA256, "broker.clients.ops.accounts=*",
				"broker.wait-for-token=3s", "broker.upstream.connect-timeout=500ms", "broker.upstream.timeout=1s" })
@ExtendWith(OutputCaptureExtension.class)
class TokenApiErrorTests {

	private static final String PROBLEM = "urn:tradovate-token-broker:problem:";

	/** SHA-256 of "ops-key". */
	static final String OPS_KEY_SHA256 = "2c69bc9111c27110a9b9a7974ba3f8ac0c053c16b23a0738115ee829fbc4d57b";

	@LocalServerPort
	private int port;

	private BrokerCaller bot;

	@BeforeEach
	void callers() {
		this.bot = new BrokerCaller(this.port, "bot-key");
	}

	private JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("pa55word").doesNotContain("s3cret");
		JsonNode body = BrokerCaller.body(response);
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("detail").stringValue()).isNotBlank();
		return body;
	}

	@Test
	void noKeyIsUnauthorizedWithABearerChallenge() {
		HttpResponse<String> response = this.bot.get("/token", "Authorization", null);

		assertThat(problem(response, 401).get("type").stringValue()).isEqualTo(PROBLEM + "unauthorized");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer realm=\"tradovate-token-broker\"");
	}

	@Test
	void aWrongKeyIsUnauthorizedAsAnInvalidToken() {
		HttpResponse<String> response = this.bot.get("/token", "Authorization", "Bearer not-a-key");

		problem(response, 401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
	}

	@Test
	void anotherAuthorizationSchemeIsUnauthorizedWithoutAnErrorCode() {
		HttpResponse<String> response = this.bot.get("/token", "Authorization", "Basic Ym90LWtleTo=");

		assertThat(problem(response, 401).get("detail").stringValue()).contains("Bearer");
		// RFC 6750 3.1: no credentials for this scheme, so no error code
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer realm=\"tradovate-token-broker\"");
	}

	@Test
	void aMalformedBearerKeyIsAnInvalidRequest() {
		HttpResponse<String> response = this.bot.get("/token", "Authorization", "Bearer " + "k".repeat(300));

		JsonNode body = problem(response, 400);
		assertThat(body.get("type").stringValue()).isEqualTo(PROBLEM + "invalid-request");
		assertThat(body.get("detail").stringValue()).isEqualTo("Refused: the bearer key is malformed.");
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("error=\"invalid_request\"");
	}

	@Test
	void aKeyForAnotherAccountIsForbiddenForInsufficientScope() {
		HttpResponse<String> response = this.bot.get("/token/main", "Authorization", "Bearer reporting-key");

		assertThat(problem(response, 403).get("type").stringValue()).isEqualTo(PROBLEM + "forbidden");
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("error=\"insufficient_scope\"");
	}

	@Test
	void anUnknownAccountIsNotFoundForAClientThatReadsEveryAccount() {
		BrokerCaller ops = new BrokerCaller(this.port, "ops-key");

		JsonNode body = problem(ops.get("/token/nobody"), 404);

		assertThat(body.get("type").stringValue()).isEqualTo(PROBLEM + "unknown-account");
		assertThat(body.get("instance").stringValue()).isEqualTo("/token/nobody");
	}

	@Test
	void aClientLimitedToSomeAccountsCannotTellMissingAccountsFromOthers() {
		JsonNode missing = problem(this.bot.get("/token/nobody"), 403);
		JsonNode existing = problem(this.bot.get("/token/other"), 403);

		assertThat(missing.get("type")).isEqualTo(existing.get("type"));
		assertThat(missing.get("detail")).isEqualTo(existing.get("detail"));
	}

	@Test
	void anUnknownPathIsNotFoundAuditedOnceWithoutAStackTrace(CapturedOutput output) {
		JsonNode body = problem(this.bot.get("/tokens"), 404);

		assertThat(body.get("instance").stringValue()).isEqualTo("/tokens");
		assertThat(body.get("detail").stringValue()).isEqualTo("No static resource tokens.");
		assertCleanLog(output, "/tokens");
	}

	@Test
	void aNegativeHugeOrNonNumericMinValidityIsABadRequest(CapturedOutput output) {
		JsonNode huge = problem(this.bot.get("/token?minValidity=86401"), 400);
		assertThat(huge.get("instance").stringValue()).isEqualTo("/token");
		assertThat(huge.get("detail").stringValue())
			.isEqualTo("Invalid request parameters: minValidity: must be less than or equal to 86400.");
		assertThat(problem(this.bot.get("/token?minValidity=-1"), 400).get("detail").stringValue())
			.isEqualTo("Invalid request parameters: minValidity: must be greater than or equal to 0.");
		assertThat(problem(this.bot.get("/token?minValidity=soon"), 400).get("detail").stringValue())
			.contains("minValidity");
		assertCleanLog(output, "/token");
	}

	/**
	 * One audit line per refused request, and no warning, error or stack trace. The
	 * accounts' own schedule (threads {@code broker-N}, logging in to an address nobody
	 * listens on) is not the caller's doing: its lines are left out.
	 */
	private static void assertCleanLog(CapturedOutput output, String path) {
		List<String> lines = output.getAll()
			.lines()
			.filter((line) -> !line.matches(".*\\[ *broker-\\d+\\].*"))
			.toList();
		assertThat(lines).noneMatch((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.contains("Exception"));
		long refusals = lines.stream()
			.filter((line) -> line.contains("request refused") && line.contains("path=\"" + path + "\""))
			.count();
		assertThat(refusals).isEqualTo(lines.stream().filter((line) -> line.contains("request refused")).count())
			.isPositive();
	}

	@Test
	void anotherMethodIsNotAllowed() {
		problem(this.bot.send("POST", "/token"), 405);
	}

	@Test
	void anUnsupportedMediaTypeIsNotAcceptable() {
		problem(this.bot.get("/token", "Accept", "application/xml"), 406);
	}

	@Test
	void unreachableTradovateIsServiceUnavailableWithRetryAfter() {
		HttpResponse<String> response = this.bot.get("/token");

		JsonNode body = problem(response, 503);
		assertThat(body.get("type").stringValue()).isEqualTo(PROBLEM + "token-unavailable");
		assertThat(body.get("reason").stringValue()).isEqualTo("upstream_failed");
		assertThat(body.get("detail").stringValue()).contains("cannot reach Tradovate (connection refused)");
		assertThat(response.headers().firstValue("Retry-After").orElseThrow()).matches("[1-9][0-9]*");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
	}

}
