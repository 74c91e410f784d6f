package io.tokenbroker.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import org.apache.tomcat.util.http.MimeHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.tokenbroker.account.Secret;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The hot path of {@code GET /token}: which requests it answers, and that its answers are
 * the ones Spring Security and Spring MVC give.
 */
class HeldTokenValveTests {

	@ParameterizedTest
	@CsvSource(nullValues = "null", delimiter = '|',
			value = { "null|0", "minValidity=0|0", "minValidity=600|600", "minValidity=86400|86400",
					"minValidity=86401|-1", "minValidity=|-1", "minValidity=123456|-1", "minValidity=-1|-1",
					"minValidity=60&x=1|-1", "x=1|-1", "minvalidity=60|-1", "minValidity=6e1|-1" })
	void onlyAPlainMinValidityIsReadHere(String query, long expected) {
		assertThat(MinValidity.inQuery(query)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null", delimiter = '|',
			value = { "/token|0|''", "/token/sim|0|sim", "/broker/token/sim|7|sim", "/broker/token|7|''",
					"/token/|0|null", "/token/sim/|0|null", "/token/sim;x=1|0|null", "/token/%73im|0|null",
					"/tokens|0|null", "/token;x=1|0|null", "/TOKEN|0|null", "/other/token|0|null" })
	void theAccountAPathNamesIsOnePlainSegment(String uri, int contextLength, String expected) {
		assertThat(TokenGate.account(uri, contextLength)).isEqualTo(expected);
	}

	@Test
	void aSharedValueTomcatCouldWriteANumberIntoIsHandedOverAsACopy() {
		byte[] name = "Strict-Transport-Security".getBytes(StandardCharsets.ISO_8859_1);
		byte[] original = "max-age=31536000 ; includeSubDomains".getBytes(StandardCharsets.ISO_8859_1);

		// what Tomcat does to an array handed over as it is: the next response on the
		// same processor writes its Content-Length into the recycled header's array
		byte[] asItIs = original.clone();
		MimeHeaders headers = new MimeHeaders();
		headers.addValue(name, 0, name.length).setBytes(asItIs, 0, asItIs.length);
		headers.recycle();
		headers.setValue("Content-Length").setLong(425);
		assertThat(asItIs).isNotEqualTo(original);

		byte[] shared = original.clone();
		headers = new MimeHeaders();
		HeldTokenValve.addShared(headers, name, shared);
		assertThat(headers.getHeader("Strict-Transport-Security"))
			.isEqualTo(new String(original, StandardCharsets.ISO_8859_1));
		headers.recycle();
		headers.setValue("Content-Length").setLong(425);
		assertThat(shared).isEqualTo(original);
	}

	@Nested
	@TestPropertySource(properties = {
			// SHA-256 of "auditor-secret-key": a client of account sim only
			"broker.clients.auditor.key-sha256=3484ada76f69e62cb0f2f337069d47b49161a6f3ef18e13ec91dcd55c3af2b6c",
			"broker.clients.auditor.accounts=sim" })
	@ExtendWith(OutputCaptureExtension.class)
	@Import(ChainProbe.class)
	@FreshBrokerPerTest
	class OverHttp extends AgainstEmbeddedSimulator {

		private final BrokerCaller demo = caller("sim-demo-key");

		@Autowired
		private MeterRegistry meters;

		@Autowired
		@Qualifier("requestMappingHandlerMapping")
		private RequestMappingHandlerMapping mapping;

		@Autowired
		private FilterChainProxy security;

		@BeforeEach
		void tokenHeld() {
			await().until(() -> this.demo.get("/token").statusCode() == 200);
		}

		@ParameterizedTest
		@CsvSource(nullValues = "null", delimiter = '|',
				value = { "/token|null", "/token|application/json", "/token|text/plain", "/token/sim|*/*",
						"/token/sim|text/plain, application/json", "/token?minValidity=60|application/json, */*",
						"/token/sim?minValidity=600|text/plain" })
		void aHeldTokenIsServedBeforeTheChainExactlyAsTheChainServesIt(String path, String accept) {
			int before = ChainProbe.reached.get();
			HttpResponse<String> fast = get(path, accept);
			assertThat(ChainProbe.reached.get()).as("answered by the hot path").isEqualTo(before);

			// an extra parameter Spring MVC ignores sends the same request down the chain
			HttpResponse<String> chain = get(path + (path.contains("?") ? "&" : "?") + "via=chain", accept);
			assertThat(ChainProbe.reached.get()).as("answered by the chain").isEqualTo(before + 1);

			assertThat(fast.statusCode()).isEqualTo(200).isEqualTo(chain.statusCode());
			assertThat(comparable(fast)).isEqualTo(comparable(chain));
			// the headers Tomcat would add itself are there once: the valve's, not
			// Tomcat's
			assertThat(fast.headers().map()).allSatisfy((name, values) -> assertThat(values).hasSize(1));
			assertThat(fast.headers().firstValue("Date")).hasValueSatisfying(
					(date) -> assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
						.isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS)));
			// the clock stands still: expiresIn too is the same
			assertThat(fast.body()).isEqualTo(chain.body());
		}

		private HttpResponse<String> get(String path, String accept) {
			return (accept != null) ? this.demo.get(path, "Accept", accept) : this.demo.get(path);
		}

		// every header but those that differ by nature (the id, the date, the framing)
		private Map<String, List<String>> comparable(HttpResponse<String> response) {
			Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
			for (String name : List.of("x-request-id", "date", "content-length", "transfer-encoding", "keep-alive",
					"connection")) {
				headers.remove(name);
			}
			return headers;
		}

		@ParameterizedTest
		@CsvSource(nullValues = "null", delimiter = '|',
				value = { "null|JSON", "*/*|JSON", "application/json|JSON", "text/plain|PLAIN", "TEXT/PLAIN|PLAIN",
						"application/json, text/plain, */*|JSON", "text/plain, application/json|PLAIN",
						"*/*, text/plain|PLAIN", "text/plain;q=0.5, application/json|JSON", "application/*|JSON",
						"text/*|PLAIN", "text/html|null", "garbage///|null", "application/json;q=0|JSON",
						"*/*~text/plain|PLAIN", "text/html~application/json|JSON" })
		void theBodyIsTheOneSpringMvcPicksForEveryAcceptLine(String accept, String expected) {
			// ~ separates lines
			Representation picked = Representations.of(this.mapping)
				.of((accept != null) ? accept.replace('~', '\n') : null);
			assertThat((picked != null) ? picked.name() : null).isEqualTo(expected);
		}

		@Test
		void theHeadersOfAnAnswerAreWhatSpringSecuritysWritersAddToTheControllers() {
			List<Filter> writers = this.security.getFilters("/token")
				.stream()
				.filter(HeaderWriterFilter.class::isInstance)
				.toList();
			Map<String, List<String>> ok = AnswerHeaders.written(writers, false, false);
			assertThat(ok).containsEntry("Cache-Control", List.of("no-store"))
				.containsEntry("Pragma", List.of("no-cache"))
				.containsEntry("Expires", List.of("0"))
				.containsEntry("X-Content-Type-Options", List.of("nosniff"))
				.containsEntry("X-Frame-Options", List.of("DENY"))
				.doesNotContainKey("Strict-Transport-Security");
			assertThat(AnswerHeaders.written(writers, false, true)).isEqualTo(ok);
			// over TLS, the writers add HSTS, which no list in the broker names
			assertThat(AnswerHeaders.written(writers, true, false)).containsAllEntriesOf(ok)
				.containsKey("Strict-Transport-Security");
		}

		@Test
		void aRequestThatWaitsForARenewalIsAnsweredOnceByTheChain() {
			CLOCK.advance(Duration.ofSeconds(30));
			int before = ChainProbe.reached.get();
			// longer than the token held has left: the chain renews, and answers once the
			// renewal did, in an asynchronous dispatch the hot path leaves alone
			HttpResponse<String> renewed = this.demo.get("/token?minValidity=4790");
			assertThat(renewed.statusCode()).isEqualTo(200);
			assertThat(ChainProbe.reached.get()).isEqualTo(before + 1);
			assertThat(renewed.headers().map()).allSatisfy((name, values) -> assertThat(values).hasSize(1));
			assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(1);
		}

		@Test
		void aCallerHoldingTheCurrentTokenIsToldSoWithoutIt() {
			HttpResponse<String> full = this.demo.get("/token");
			String etag = full.headers().firstValue("ETag").orElseThrow();
			assertThat(etag).matches("\"r[0-9]+-[0-9a-z]+\"")
				.doesNotContain(BrokerCaller.body(full).get("accessToken").stringValue());
			double notModified = count("broker.token.requests", "client", "demo", "outcome", "not_modified");

			for (String path : List.of("/token", "/token?via=chain", "/token/sim")) {
				int before = ChainProbe.reached.get();
				HttpResponse<String> unchanged = this.demo.get(path, "If-None-Match", etag);
				assertThat(unchanged.statusCode()).isEqualTo(304);
				assertThat(unchanged.body()).isEmpty();
				assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
				assertThat(unchanged.headers().firstValue("Cache-Control")).hasValue("no-store");
				assertThat(ChainProbe.reached.get() - before).isEqualTo(path.contains("via") ? 1 : 0);
			}
			assertThat(count("broker.token.requests", "client", "demo", "outcome", "not_modified"))
				.isEqualTo(notModified + 3);
			assertThat(this.demo.get("/token", "If-None-Match", "W/" + etag + ", \"other\"").statusCode())
				.isEqualTo(304);
			assertThat(this.demo.get("/token", "If-None-Match", "\"r0-0\"").statusCode()).isEqualTo(200);
			// the same check as any request: no key, no answer
			assertThat(caller("wrong-key").get("/token", "If-None-Match", etag).statusCode()).isEqualTo(401);
		}

		@Test
		void everyJsonAnswerSaysWhenToComeBack() {
			JsonNode token = this.demo.token("/token");
			Instant renewAt = Instant.parse(token.get("renewAt").stringValue());
			Instant expiresAt = Instant.parse(token.get("expirationTime").stringValue());
			assertThat(renewAt).isAfter(CLOCK.instant()).isBefore(expiresAt);
			assertThat(this.tradovate.stats().renewalCalls()).isZero();
		}

		@Test
		void aSafeRequestIdIsEchoedAndAnUnsafeOneReplaced() {
			int before = ChainProbe.reached.get();
			assertThat(this.demo.get("/token", "X-Request-Id", "trade-42.a_b").headers().firstValue("X-Request-Id"))
				.hasValue("trade-42.a_b");
			assertThat(this.demo.get("/token", "X-Request-Id", "a b\"c").headers().firstValue("X-Request-Id"))
				.hasValueSatisfying((id) -> assertThat(id).matches("[0-9a-f]{16}"));
			assertThat(ChainProbe.reached.get()).isEqualTo(before);
		}

		@Test
		void everythingElseGoesDownTheChain() throws IOException {
			BrokerCaller auditor = caller("auditor-secret-key");
			int before = ChainProbe.reached.get();
			assertThat(caller("wrong-key").get("/token").statusCode()).isEqualTo(401);
			assertThat(this.demo.get("/token", "Authorization", null).statusCode()).isEqualTo(401);
			assertThat(this.demo.get("/token", "Authorization", "Bearer bad key").statusCode()).isEqualTo(400);
			assertThat(this.demo.get("/token/nobody").statusCode()).isEqualTo(404);
			assertThat(auditor.get("/token/sim").statusCode()).isEqualTo(200);
			assertThat(ChainProbe.reached.get()).as("the auditor's token came from the hot path").isEqualTo(before + 4);
			assertThat(this.demo.get("/token", "Accept", "text/html").statusCode()).isEqualTo(406);
			assertThat(this.demo.get("/token?minValidity=86401").statusCode()).isEqualTo(400);
			assertThat(this.demo.get("/token/").statusCode()).isEqualTo(404);
			assertThat(this.demo.get("/token/sim;x=1").statusCode()).isEqualTo(400);
			assertThat(this.demo.send("HEAD", "/token").statusCode()).isEqualTo(200);
			assertThat(ChainProbe.reached.get()).isEqualTo(before + 9);
		}

		@Test
		void aLockedOutAddressGetsNoTokenEvenWithTheRightKey() {
			BrokerCaller guesser = caller("guessed-key");
			for (int i = 0; i < 6; i++) {
				guesser.get("/token");
			}
			int before = ChainProbe.reached.get();
			assertThat(this.demo.get("/token").statusCode()).isEqualTo(429);
			assertThat(ChainProbe.reached.get()).isEqualTo(before + 1);
		}

		@Test
		void eachTokenIsAuditedOnceForEachClientAndEachRequestAtDebug(CapturedOutput output) {
			BrokerCaller auditor = caller("auditor-secret-key");
			String fingerprint = Secret
				.fingerprint(BrokerCaller.body(auditor.get("/token/sim")).get("accessToken").stringValue());
			auditor.get("/token/sim");
			auditor.get("/token/sim");
			String issued = "token issued client=\"auditor\" account=\"sim\" token=\"" + fingerprint + "\"";
			assertThat(occurrences(output.toString(), issued)).isEqualTo(1);
			assertThat(output).doesNotContain("token served client=\"auditor\"");

			LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
			logging.setLogLevel("io.tokenbroker.audit", LogLevel.DEBUG);
			try {
				auditor.get("/token/sim", "X-Request-Id", "audited-request");
			}
			finally {
				logging.setLogLevel("io.tokenbroker.audit", null);
			}
			assertThat(output).containsPattern(
					"audited-request.*token served client=\"auditor\" account=\"sim\" token=\"" + fingerprint + "\"");
			assertThat(occurrences(output.toString(), issued)).isEqualTo(1);
		}

		@Test
		void servedTokensAreCountedAndTimed() {
			double issued = count("broker.token.requests", "client", "demo", "outcome", "issued");
			long timed = this.meters.get("http.server.requests")
				.tags("uri", "/token/{account}", "status", "200")
				.timer()
				.count();
			this.demo.get("/token/sim");
			this.demo.get("/token/sim");
			assertThat(count("broker.token.requests", "client", "demo", "outcome", "issued")).isEqualTo(issued + 2);
			// the timer records once the answer is written: the caller may read it first
			await().untilAsserted(() -> assertThat(this.meters.get("http.server.requests")
				.tags("uri", "/token/{account}", "status", "200")
				.timer()
				.count()).isEqualTo(timed + 2));
		}

		private double count(String name, String... tags) {
			return this.meters.get(name).tags(tags).counter().count();
		}

		private static int occurrences(String text, String part) {
			int count = 0;
			for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
				count++;
			}
			return count;
		}

	}

}
