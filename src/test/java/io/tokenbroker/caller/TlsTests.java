package io.tokenbroker.caller;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The API over TLS through a Spring SSL bundle, with a certificate made for this test.
 */
@Tag("application")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.bundle=broker", "spring.ssl.bundle.jks.broker.keystore.type=PKCS12",
				"spring.ssl.bundle.jks.broker.keystore.password=" + TlsTests.STORE_PASSWORD,
				"broker.accounts.main.base-url=http://127.0.0.1:9/v1", "broker.accounts.main.username=trader",
				"broker.accounts.main.password=pw", "broker.accounts.main.app-id=app", "broker.accounts.main.cid=1",
				"broker.accounts.main.secret=s",
				"broker.clients.bot.key-sha256=3a1fb6628e3632ba5935f8317570b197c8b3d576dd619f1c6fd917efc3fa6366",
				"broker.clients.bot.accounts=main" })
class TlsTests {

	static final String STORE_PASSWORD = "test-only-store";

	private static Path keyStore;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void keyStore(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
		keyStore = Files.createTempDirectory("broker-tls").resolve("broker.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", STORE_PASSWORD)
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).isZero();
		registry.add("spring.ssl.bundle.jks.broker.keystore.location", () -> "file:" + keyStore);
	}

	@Test
	void tokensAreServedOverTls() throws Exception {
		HttpResponse<String> response = HttpClient.newBuilder()
			.sslContext(trusting(keyStore))
			.build()
			.send(request("https"), HttpResponse.BodyHandlers.ofString());

		// the upstream is unreachable here: 503 proves the request made it through TLS
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		// Spring Security's writers add HSTS over TLS, as the hot path's headers do
		assertThat(response.headers().firstValue("Strict-Transport-Security")).isPresent();
	}

	@Test
	void aClientThatDoesNotTrustTheCertificateIsRefused() {
		assertThatExceptionOfType(SSLHandshakeException.class)
			.isThrownBy(() -> HttpClient.newHttpClient().send(request("https"), HttpResponse.BodyHandlers.ofString()));
	}

	private HttpRequest request(String scheme) {
		return HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + this.port + "/token"))
			.header("Authorization", "Bearer bot-key")
			.build();
	}

	private static SSLContext trusting(Path store) throws IOException, GeneralSecurityException {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			trusted.load(in, STORE_PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
