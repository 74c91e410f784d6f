package io.tokenbroker.caller;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who a caller is, as the lock-out and the audit see it: {@code X-Forwarded-For} counts
 * only from the proxies the operator names, never by default, not even where Spring Boot
 * would trust it (Kubernetes); and no caller-sent value can forge an audit field.
 */
class ForwardedAddressTests {

	/** Sends a key from a chosen loopback address, as another host would. */
	static int statusFrom(int port, String local, String key, String... forwardedFor) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(local), 0)) {
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder("GET /token HTTP/1.1\r\nHost: localhost\r\n");
			request.append("Authorization: Bearer ").append(key).append("\r\n");
			for (String line : forwardedFor) {
				request.append("X-Forwarded-For: ").append(line).append("\r\n");
			}
			out.write(request.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			return Integer.parseInt(statusLine.substring(9, 12));
		}
	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	// as on Kubernetes, where Spring Boot would switch its forwarded-headers support on
	@TestPropertySource(properties = "spring.main.cloud-platform=kubernetes")
	class WithoutTrustedProxies extends AgainstEmbeddedSimulator {

		@Test
		void madeUpAddressesDoNotEscapeTheLockOut() {
			for (int i = 0; i < 20; i++) {
				caller("wrong-key").get("/token", "X-Forwarded-For", "10.9.0." + i);
			}

			assertThat(caller("sim-demo-key").get("/token").statusCode()).isEqualTo(429);
		}

		@Test
		void nobodyCanLockAnotherCallerOutByNamingItsAddress() throws IOException {
			for (int i = 0; i < 7; i++) {
				caller("wrong-key").get("/token", "X-Forwarded-For", "127.0.0.2");
			}

			assertThat(statusFrom(PORT, "127.0.0.2", "sim-demo-key")).isIn(200, 503);
		}

		@Test
		void noCallerSentValueForgesAnAuditField(CapturedOutput output) {
			caller("wrong-key").get("/token", "X-Forwarded-For", "10.0.0.66 client=ops account=sim token=feedface");
			caller("sim-demo-key").get("/token?minValidity=soon%22%20client=ops%0aINFO%20token%20issued");

			assertThat(output).contains("remote=\"127.0.0.1\"")
				.doesNotContain("10.0.0.66")
				.contains("soon\\\" client=ops\\u000aINFO token issued")
				// an unescaped quote would have closed the field
				.doesNotContainPattern("(?<!\\\\)\" client=ops");
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	@TestPropertySource(properties = "broker.security.trusted-proxies=127.0.0.1, fd00::/8")
	class BehindATrustedProxy extends AgainstEmbeddedSimulator {

		@Test
		void theLockOutKeysOnTheForwardedCallerAndSparesTheOthers() {
			for (int i = 0; i < 8; i++) {
				caller("wrong-key").get("/token", "X-Forwarded-For", "203.0.113.7");
			}

			assertThat(caller("sim-demo-key").get("/token", "X-Forwarded-For", "203.0.113.7").statusCode())
				.isEqualTo(429);
			await().until(
					() -> caller("sim-demo-key").get("/token", "X-Forwarded-For", "203.0.113.8").statusCode() == 200);
		}

		@Test
		void aHopThatIsNoAddressEndsWhatIsBelieved(CapturedOutput output) {
			BrokerCaller guesser = caller("wrong-key");
			guesser.get("/token", "X-Forwarded-For", "198.51.100.1, client=ops, 198.51.100.9");

			assertThat(output).contains("remote=\"198.51.100.9\"").doesNotContain("client=ops");
		}

		@Test
		void aLineTheClientSentBeforeItsProxysIsNotBelieved(CapturedOutput output) throws IOException {
			// the client writes its own line, the proxy appends one (HAProxy's
			// forwardfor)
			for (int i = 0; i < 12; i++) {
				statusFrom(PORT, "127.0.0.1", "wrong-key", "6.6." + i + ".6", "203.0.113.30");
			}

			assertThat(statusFrom(PORT, "127.0.0.1", "sim-demo-key", "6.6.99.6", "203.0.113.30")).isEqualTo(429);
			assertThat(statusFrom(PORT, "127.0.0.1", "sim-demo-key", "203.0.113.30", "203.0.113.31")).isIn(200, 503);
			assertThat(output).contains("remote=\"203.0.113.30\"").doesNotContain("remote=\"6.6.");
		}

		@Test
		void anUntrustedPeerIsItselfTheCaller() throws IOException {
			for (int i = 0; i < 8; i++) {
				statusFrom(PORT, "127.0.0.3", "wrong-key", "198.51.100." + i);
			}

			assertThat(statusFrom(PORT, "127.0.0.3", "sim-demo-key", "198.51.100.50")).isEqualTo(429);
		}

	}

	/**
	 * The settings, checked where they are read: the address configuration alone, its
	 * failure as the start-up report prints it (the registered failure analyzers).
	 */
	@Nested
	class Settings {

		private final ApplicationContextRunner runner = new ApplicationContextRunner()
			.withUserConfiguration(AddressSettings.class);

		@Test
		void theWebServerMayNotBelieveForwardedHeadersItself() {
			this.runner.withPropertyValues("server.forward-headers-strategy=native")
				.run((context) -> assertThat(report(context))
					.contains("server.forward-headers-strategy=native would let the web server believe")
					.contains("broker.security.trusted-proxies"));
		}

		@Test
		void aTrustedProxyMustBeAnAddressOrARange() {
			this.runner.withPropertyValues("broker.security.trusted-proxies=proxy.internal")
				.run((context) -> assertThat(report(context))
					.contains("proxy.internal is neither an IP address nor a CIDR range"));
		}

		/** What start-up prints of the context's failure: description and action. */
		private static String report(AssertableApplicationContext context) {
			assertThat(context).hasFailed();
			// the analyzers that need no arguments, among them the settings' own
			return SpringFactoriesLoader.forDefaultResourceLocation(Settings.class.getClassLoader())
				.load(FailureAnalyzer.class, null, FailureHandler.handleMessage((message, ex) -> {
				}))
				.stream()
				.map((analyzer) -> analyzer.analyze(context.getStartupFailure()))
				.filter(Objects::nonNull)
				.findFirst()
				.map((analysis) -> analysis.getDescription() + "\n" + analysis.getAction())
				.orElseThrow(() -> new AssertionError("no failure analysis", context.getStartupFailure()));
		}

		@Configuration(proxyBeanMethods = false)
		@EnableConfigurationProperties({ CallerSecurityProperties.class, ServerProperties.class })
		@Import(ClientAddressConfiguration.class)
		static class AddressSettings {

		}

	}

}
