package io.tokenbroker.operations;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static io.tokenbroker.testing.Scrapes.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Probes, per-account health, metrics, the {@code tokens} endpoint and request ids, over
 * real HTTP against the broker in its embedded default (profile {@code sim}) with
 * 60-second tokens. Each test gets a fresh broker; the clock moves only when a test moves
 * it.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "simulator.password-lifetime=10d",
		"broker.renewal.jitter=0", "broker.renewal.check-interval=20ms", "broker.wait-for-token=5s",
		// SHA-256 of "bot-key": a client that may read tokens but is no admin
		"broker.clients.bot.key-sha256=3a1fb6628e3632ba5935f8317570b197c8b3d576dd619f1c6fd917efc3fa6366",
		"broker.clients.bot.accounts=sim" })
@FreshBrokerPerTest
@ExtendWith(OutputCaptureExtension.class)
class OperationsTests extends AgainstEmbeddedSimulator {

	private final BrokerCaller admin = caller("sim-demo-key");

	private final BrokerCaller bot = caller("bot-key");

	private JsonNode first;

	@BeforeEach
	void firstToken() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.admin.get("/token").statusCode() == 200);
		this.first = this.admin.token("/token");
	}

	@Test
	void eachAccountHasItsHealthWithItsScheduleButNeverAToken() {
		HttpResponse<String> response = this.admin.get("/actuator/health/tradovate/sim");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode health = BrokerCaller.body(response);
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		JsonNode details = health.get("details");
		assertThat(details.get("state").stringValue()).isEqualTo("VALID");
		assertThat(details.get("expiresIn").asLong()).isBetween(55L, 60L);
		assertThat(Instant.parse(details.get("renewAt").stringValue()))
			.isBefore(Instant.parse(details.get("expiresAt").stringValue()));
		assertThat(details.get("tokenFingerprint").stringValue()).isNotBlank();
		assertThat(details.get("consecutiveFailures").asInt()).isZero();
		// passwordExpirationTime of the login answer
		assertThat(details.get("passwordExpiresInDays").asLong()).isBetween(9L, 10L);
		assertThat(Instant.parse(details.get("passwordExpiresAt").stringValue()))
			.isBetween(CLOCK.instant().plus(Duration.ofDays(9)), CLOCK.instant().plus(Duration.ofDays(10)));
		assertThat(response.body()).doesNotContain(text(this.first, "accessToken"))
			.doesNotContain(text(this.first, "mdAccessToken"))
			.doesNotContain("sim-password")
			.doesNotContain("sim-secret");
		JsonNode all = BrokerCaller.body(this.admin.get("/actuator/health"));
		assertThat(all.at("/components/tradovate/components/sim/status").stringValue()).isEqualTo("UP");
	}

	@Test
	void probesAreOpenAndShowOnlyTheirStatus() {
		for (String probe : new String[] { "/actuator/health", "/actuator/health/liveness",
				"/actuator/health/readiness" }) {
			HttpResponse<String> response = this.admin.get(probe, "Authorization", null);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(BrokerCaller.body(response).propertyNames()).as(probe)
				.contains("status")
				.doesNotContain("components", "details");
		}
		JsonNode readiness = BrokerCaller.body(this.admin.get("/actuator/health/readiness"));
		assertThat(readiness.at("/components/tokenReadiness/details/serving/0").stringValue()).isEqualTo("sim");
		assertThat(readiness.at("/components/readinessState/status").stringValue()).isEqualTo("UP");
		assertThat(this.admin.get("/actuator/health/liveness").body()).doesNotContain("tradovate")
			.doesNotContain("tokenReadiness");
	}

	@Test
	void aCaptchaTakesTheBrokerOutOfServiceUntilAnOperatorResumesIt() {
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.penalty(Duration.ofSeconds(30), true));
		CLOCK.advance(Duration.ofSeconds(61));

		await().until(() -> this.admin.get("/actuator/health/readiness").statusCode() == 503);
		assertThat(BrokerCaller.body(this.admin.get("/actuator/health/readiness")).get("status").stringValue())
			.isEqualTo("OUT_OF_SERVICE");
		assertThat(this.admin.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		JsonNode health = BrokerCaller.body(this.admin.get("/actuator/health/tradovate/sim"));
		assertThat(health.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(health.at("/details/state").stringValue()).isEqualTo("CAPTCHA_REQUIRED");
		assertThat(health.at("/details/lastError").stringValue()).contains("captcha");
		assertThat(health.at("/details/expiresIn").asLong()).isZero();
		String metrics = this.admin.get("/actuator/prometheus").body();
		assertThat(sample(metrics, "broker_cool_down_active", "account=\"sim\"")).isEqualTo(1);
		assertThat(counted(metrics, "broker_penalties_total", "account=\"sim\"", "kind=\"captcha\"")).isEqualTo(1);
		assertThat(sample(metrics, "broker_token_seconds_left", "account=\"sim\"")).isZero();

		// the operator solved the captcha: the broker logs in at once, not in an hour
		HttpResponse<String> resumed = this.admin.send("POST", "/actuator/tokens/sim");

		assertThat(resumed.statusCode()).isEqualTo(200);
		JsonNode report = BrokerCaller.body(resumed);
		assertThat(report.get("outcome").stringValue()).isEqualTo("succeeded");
		assertThat(report.at("/session/state").stringValue()).isEqualTo("VALID");
		assertThat(this.admin.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(this.admin.get("/token").statusCode()).isEqualTo(200);
		assertThat(sample(this.admin.get("/actuator/prometheus").body(), "broker_cool_down_active", "account=\"sim\""))
			.isZero();
	}

	@Test
	void prometheusExposesTheBrokersMetrics() throws IOException, InterruptedException {
		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().successfulRenewals() == 1);

		HttpResponse<String> response = this.admin.get("/actuator/prometheus");

		assertThat(response.statusCode()).isEqualTo(200);
		String metrics = response.body();
		assertThat(counted(metrics, "broker_upstream_calls_seconds_count", "account=\"sim\"", "operation=\"login\"",
				"outcome=\"granted\""))
			.isEqualTo(1);
		assertThat(counted(metrics, "broker_upstream_calls_seconds_count", "account=\"sim\"", "operation=\"renew\"",
				"outcome=\"granted\""))
			.isEqualTo(1);
		assertThat(sample(metrics, "broker_token_seconds_left", "account=\"sim\"")).isBetween(55.0, 60.0);
		// the renewal's passwordExpirationTime: ten days on
		assertThat(sample(metrics, "broker_password_expires_at_seconds", "account=\"sim\""))
			.isEqualTo((double) CLOCK.instant().plus(Duration.ofDays(10)).getEpochSecond(), within(60.0));
		assertThat(sample(metrics, "broker_cool_down_active", "account=\"sim\"")).isZero();
		for (String kind : new String[] { "penalty", "captcha", "locked_out", "rejected_credentials" }) {
			assertThat(counted(metrics, "broker_penalties_total", "account=\"sim\"", "kind=\"" + kind + "\"")).isZero();
		}
		assertThat(sample(metrics, "broker_upstream_budget_used", "kind=\"renewals\"")).isEqualTo(1);
		assertThat(sample(metrics, "broker_upstream_budget_limit", "kind=\"renewals\"")).isEqualTo(15);
		assertThat(sample(metrics, "broker_upstream_budget_used", "kind=\"failed_logins\"")).isZero();
		assertThat(sample(metrics, "broker_upstream_budget_limit", "kind=\"failed_logins\"")).isEqualTo(5);
		assertThat(metrics).doesNotContain(text(this.first, "accessToken"));
		assertPromtoolAccepts(metrics);
	}

	@Test
	void tokenRequestsAreCountedByAccountClientAndOutcome() {
		this.bot.get("/token");
		this.bot.get("/token/nobody");
		caller("wrong-key").get("/token");

		String metrics = this.admin.get("/actuator/prometheus").body();

		assertThat(counted(metrics, "broker_token_requests_total", "account=\"sim\"", "client=\"bot\"",
				"outcome=\"issued\""))
			.isEqualTo(1);
		// the bot may read one account: a missing one is forbidden like any other it may
		// not read
		assertThat(counted(metrics, "broker_token_requests_total", "account=\"none\"", "client=\"bot\"",
				"outcome=\"forbidden\""))
			.isEqualTo(1);
		assertThat(counted(metrics, "broker_token_requests_total", "account=\"none\"", "client=\"anonymous\"",
				"outcome=\"unauthorized\""))
			.isEqualTo(1);
	}

	@Test
	void infoShowsTheBuildAndTheGitCommit() {
		JsonNode info = BrokerCaller.body(this.admin.get("/actuator/info"));

		assertThat(info.at("/build/artifact").stringValue()).isEqualTo("tradovate-token-broker");
		assertThat(info.at("/build/version").stringValue()).isNotBlank();
		assertThat(info.at("/git/commit/id").stringValue()).isNotBlank();
	}

	@Test
	void theTokensEndpointListsEveryAccountWithItsScheduleButNeverAToken() {
		HttpResponse<String> response = this.admin.get("/actuator/tokens");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode report = BrokerCaller.body(response);
		JsonNode sim = report.at("/accounts/0");
		assertThat(sim.get("account").stringValue()).isEqualTo("sim");
		assertThat(sim.get("state").stringValue()).isEqualTo("VALID");
		assertThat(sim.get("tokenFingerprint").stringValue()).isNotBlank();
		assertThat(Instant.parse(sim.get("expiresAt").stringValue())).isAfter(CLOCK.instant());
		assertThat(Instant.parse(sim.get("renewAt").stringValue())).isAfter(CLOCK.instant());
		assertThat(sim.get("nextAttemptAt").isNull()).isTrue();
		assertThat(sim.get("consecutiveFailures").asInt()).isZero();
		assertThat(report.at("/budget/renewals/used").asInt()).isZero();
		assertThat(report.at("/budget/renewals/limit").asInt()).isEqualTo(15);
		assertThat(report.at("/budget/failedLogins/limit").asInt()).isEqualTo(5);
		assertThat(response.body()).doesNotContain(text(this.first, "accessToken"));
	}

	@Test
	void actingNowRenewsAtOnceOnTheSameSession() {
		String before = BrokerCaller.body(this.admin.get("/actuator/tokens"))
			.at("/accounts/0/tokenFingerprint")
			.stringValue();

		HttpResponse<String> response = this.admin.send("POST", "/actuator/tokens/sim");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode report = BrokerCaller.body(response);
		assertThat(report.get("account").stringValue()).isEqualTo("sim");
		assertThat(report.get("outcome").stringValue()).isEqualTo("succeeded");
		assertThat(report.get("message").stringValue()).startsWith("Tradovate granted token");
		assertThat(report.at("/session/tokenFingerprint").stringValue()).isNotEqualTo(before);
		assertThat(this.tradovate.stats().successfulRenewals()).isEqualTo(1);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(1);
		assertThat(this.admin.token("/token").get("accessToken")).isNotEqualTo(this.first.get("accessToken"));
		assertThat(response.body()).doesNotContain(text(this.first, "accessToken"));
	}

	@Test
	void actingNowNeverExceedsTheHourlyBudget() {
		// 15 renewals per hour, 3 of them kept for the schedule
		for (int renewal = 0; renewal < 12; renewal++) {
			assertThat(this.admin.send("POST", "/actuator/tokens/sim").statusCode()).isEqualTo(200);
		}

		HttpResponse<String> refused = this.admin.send("POST", "/actuator/tokens/sim");

		assertThat(refused.statusCode()).isEqualTo(429);
		JsonNode report = BrokerCaller.body(refused);
		assertThat(report.get("outcome").stringValue()).isEqualTo("refused");
		assertThat(report.get("reason").stringValue()).isEqualTo("budget_exhausted");
		assertThat(report.get("message").stringValue()).contains("hourly limits").contains("12 renewals");
		assertThat(report.get("retryAfterSeconds").asLong()).isPositive();
		assertThat(report.at("/session/state").stringValue()).isEqualTo("VALID");
		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(12);
	}

	@Test
	void actingNowOnAnUnknownAccountIsNotFound() {
		HttpResponse<String> response = this.admin.send("POST", "/actuator/tokens/nosuch");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(BrokerCaller.body(response).get("outcome").stringValue()).isEqualTo("unknown_account");
	}

	@Test
	void theTokensEndpointIsForAdminClientsOnly() {
		for (String method : new String[] { "GET", "POST" }) {
			String path = method.equals("GET") ? "/actuator/tokens" : "/actuator/tokens/sim";
			assertThat(this.bot.send(method, path).statusCode()).as(method).isEqualTo(403);
			assertThat(this.bot.send(method, path, "Authorization", null).statusCode()).as(method).isEqualTo(401);
		}
		assertThat(this.bot.get("/actuator/prometheus").statusCode()).isEqualTo(403);
		assertThat(this.bot.get("/actuator/health/tradovate/sim").statusCode()).isEqualTo(403);
		assertThat(this.bot.get("/token").statusCode()).isEqualTo(200);
		assertThat(this.tradovate.stats().renewalCalls()).isZero();
	}

	@Test
	void everyResponseCarriesARequestIdThatIsOnEveryLogLineOfTheRequest(CapturedOutput output) {
		HttpResponse<String> given = this.admin.send("POST", "/actuator/tokens/sim", "X-Request-Id", "ops-check.42");
		HttpResponse<String> generated = this.admin.get("/token");
		HttpResponse<String> forged = this.admin.get("/token", "X-Request-Id", "evil] INFO fake line");
		HttpResponse<String> tooLong = this.admin.get("/token", "X-Request-Id", "x".repeat(65));
		HttpResponse<String> refused = this.admin.get("/token", "Authorization", null);

		assertThat(given.headers().firstValue("X-Request-Id")).hasValue("ops-check.42");
		assertThat(generated.headers().firstValue("X-Request-Id"))
			.hasValueSatisfying((id) -> assertThat(id).matches("[0-9a-f]{16}"));
		assertThat(forged.headers().firstValue("X-Request-Id"))
			.hasValueSatisfying((id) -> assertThat(id).matches("[0-9a-f]{16}"));
		assertThat(tooLong.headers().firstValue("X-Request-Id"))
			.hasValueSatisfying((id) -> assertThat(id).matches("[0-9a-f]{16}"));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
		assertThat(output.getOut().lines().filter((line) -> line.contains("ops-check.42")))
			.anySatisfy((line) -> assertThat(line).contains("[ops-check.42").contains("asked to act now"));
	}

	@Test
	void aTokenRequestAnsweredAsynchronouslyKeepsItsRequestId() {
		this.tradovate.enqueue(AuthOperation.LOGIN, Fault.delay(Duration.ofMillis(500)));
		CLOCK.advance(Duration.ofSeconds(61));

		HttpResponse<String> response = this.admin.get("/token", "X-Request-Id", "waiting-caller-1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("waiting-caller-1");
		assertThat(BrokerCaller.body(response).get("accessToken")).isNotEqualTo(this.first.get("accessToken"));
	}

	/**
	 * Checks the exposition with Prometheus' own {@code promtool}, when installed: the
	 * whole scrape must parse, and the broker's own metrics must also pass every lint
	 * rule. (Some of Boot's and Micrometer's built-in meters have lint findings, such as
	 * no help text or {@code _ms} in a name: promtool's exit code 3.)
	 */
	static void assertPromtoolAccepts(String scrape) throws IOException, InterruptedException {
		Path promtool = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
			.map((dir) -> Path.of(dir, "promtool"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		Assumptions.assumeTrue(promtool != null,
				"promtool is not on PATH (Debian: apt-get install prometheus): the scrape is not checked");
		String brokers = scrape.lines()
			.filter((line) -> line.startsWith("broker_") || line.startsWith("# HELP broker_")
					|| line.startsWith("# TYPE broker_"))
			.collect(Collectors.joining("\n", "", "\n"));
		assertThat(brokers).contains("# HELP broker_token_seconds_left");
		Promtool ours = promtool(promtool, brokers);
		assertThat(ours.exitCode()).as("promtool check metrics, broker_* only:%n%s", ours.report()).isZero();
		Promtool all = promtool(promtool, scrape);
		assertThat(all.exitCode()).as("promtool check metrics, whole scrape:%n%s", all.report()).isIn(0, 3);
	}

	private static Promtool promtool(Path promtool, String metrics) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
		try (OutputStream stdin = process.getOutputStream()) {
			stdin.write(metrics.getBytes(StandardCharsets.UTF_8));
		}
		String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Promtool(process.exitValue(), report);
	}

	/** 0: fine, 1: does not parse, 3: parses but has lint findings. */
	private record Promtool(int exitCode, String report) {
	}

	private static String text(JsonNode node, String field) {
		return node.get(field).stringValue();
	}

}
