package io.tokenbroker.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of connections that send half a request and then nothing: the probes and
 * {@code /token} are still answered, and the web server drops the silent ones after its
 * connection timeout (5 s), instead of holding them for a minute.
 */
class SlowConnectionTests extends AgainstEmbeddedSimulator {

	private static final int SLOW = 400;

	private final List<Socket> slow = new ArrayList<>();

	@AfterEach
	void closeSlowConnections() throws IOException {
		for (Socket socket : this.slow) {
			socket.close();
		}
	}

	@Test
	void halfSentRequestsStarveNeitherTheProbesNorTokensAndAreDropped() throws IOException {
		BrokerCaller caller = caller("sim-demo-key");
		await().until(() -> caller.get("/token").statusCode() == 200);
		for (int i = 0; i < SLOW; i++) {
			Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT);
			socket.getOutputStream()
				.write("GET /token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bea"
					.getBytes(StandardCharsets.US_ASCII));
			this.slow.add(socket);
		}

		assertThat(caller.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(caller.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(caller.get("/token").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.slow.stream().allMatch(SlowConnectionTests::closedByPeer));
	}

	private static boolean closedByPeer(Socket socket) {
		try {
			socket.setSoTimeout(5);
			InputStream in = socket.getInputStream();
			// the server's 408 or 400, then end of stream; or end of stream at once
			while (true) {
				if (in.read() < 0) {
					return true;
				}
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

}
