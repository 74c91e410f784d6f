package io.tokenbroker.caller;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.account.Secret;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Caller identity over real HTTP: lock-out of key guessers per address, and the audit
 * trail.
 */
@TestPropertySource(properties = { "broker.renewal.check-interval=20ms",
		// SHA-256 of "auditor-secret-key"
		"broker.clients.auditor.key-sha256=3484ada76f69e62cb0f2f337069d47b49161a6f3ef18e13ec91dcd55c3af2b6c",
		"broker.clients.auditor.accounts=sim",
		// SHA-256 of "scraper-key"
		"broker.clients.scraper.key-sha256=" + CallerSecurityTests.SCRAPER_KEY_SHA256,
		"broker.clients.scraper.metrics=true" })
@FreshBrokerPerTest
@ExtendWith(OutputCaptureExtension.class)
class CallerSecurityTests extends AgainstEmbeddedSimulator {

	static final String SCRAPER_KEY_SHA256 = "fc599a17c4a7d8068ba48a04319b40b9d8b6e9c193a5cc26034930d7c24f4519";

	private final BrokerCaller demo = caller("sim-demo-key");

	private final BrokerCaller guesser = caller("guessed-key");

	@Test
	void anAddressThatKeepsGuessingIsLockedOutEvenWithTheRightKey() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.guesser.get("/token").statusCode()).isEqualTo(401);
		}
		assertThat(this.guesser.get("/token").statusCode()).isEqualTo(401);

		HttpResponse<String> locked = this.demo.get("/token");
		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(BrokerCaller.body(locked).get("type").stringValue())
			.isEqualTo("urn:tradovate-token-broker:problem:too-many-failed-authentications");
		// probes carry no key and pass
		assertThat(this.demo.get("/actuator/health/liveness", "Authorization", null).statusCode()).isEqualTo(200);

		CLOCK.advance(Duration.ofSeconds(1));
		await().until(() -> this.demo.get("/token").statusCode() == 200);
	}

	@Test
	void aRightKeyErasesNoFailure() {
		await().until(() -> this.demo.get("/token").statusCode() == 200);
		// five free failures, a right key among them, then the sixth
		for (int wrong : new int[] { 3, 2, 1 }) {
			assertThat(this.demo.get("/token").statusCode()).isEqualTo(200);
			for (int i = 0; i < wrong; i++) {
				assertThat(this.guesser.get("/token").statusCode()).isEqualTo(401);
			}
		}

		assertThat(this.demo.get("/token").statusCode()).isEqualTo(429);
	}

	@Test
	void aMetricsClientReadsTheMetricsAndNothingElse() {
		BrokerCaller scraper = caller("scraper-key");

		assertThat(scraper.get("/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(scraper.get("/actuator/tokens").statusCode()).isEqualTo(403);
		assertThat(scraper.send("POST", "/actuator/tokens/sim").statusCode()).isEqualTo(403);
		assertThat(scraper.get("/actuator/health/tradovate").statusCode()).isEqualTo(403);
		assertThat(scraper.get("/token").statusCode()).isEqualTo(403);
		assertThat(this.guesser.get("/actuator/prometheus").statusCode()).isEqualTo(401);
	}

	@Test
	void anotherAddressIsNotAffectedByTheLockOut() throws IOException {
		for (int i = 0; i < 8; i++) {
			this.guesser.get("/token");
		}
		assertThat(this.demo.get("/token").statusCode()).isEqualTo(429);

		// 127.0.0.2 is another remote address on the same loopback interface
		assertThat(statusFrom(InetAddress.getByName("127.0.0.2"), "sim-demo-key")).isIn(200, 503);
	}

	@Test
	void everyIssuedTokenAndEveryRefusalIsAudited(CapturedOutput output) {
		BrokerCaller auditor = caller("auditor-secret-key");
		await().until(() -> auditor.get("/token").statusCode() == 200);
		JsonNode token = auditor.token("/token");
		this.guesser.get("/token");
		auditor.get("/token/nobody");

		String fingerprint = Secret.fingerprint(token.get("accessToken").stringValue());
		assertThat(output)
			.contains("token issued client=\"auditor\" account=\"sim\" token=\"" + fingerprint
					+ "\" remote=\"127.0.0.1\"")
			.contains("request refused status=401 outcome=\"unauthorized\" client=\"anonymous\" account=\"none\" "
					+ "method=\"GET\" path=\"/token\" remote=\"127.0.0.1\" "
					+ "detail=\"Refused: the bearer key is not a known client key.\"")
			.contains("request refused status=403 outcome=\"forbidden\" client=\"auditor\" account=\"none\" "
					+ "method=\"GET\" path=\"/token/nobody\"")
			.doesNotContain(token.get("accessToken").stringValue())
			.doesNotContain("guessed-key")
			.doesNotContain("auditor-secret-key");
	}

	/**
	 * A GET /token sent from a chosen local address, which the JDK's HttpClient cannot
	 * do.
	 */
	private static int statusFrom(InetAddress local, String key) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT, local, 0)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			return Integer.parseInt(statusLine.substring(9, 12));
		}
	}

}
