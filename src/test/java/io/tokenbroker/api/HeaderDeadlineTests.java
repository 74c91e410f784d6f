package io.tokenbroker.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code server.tomcat.connection-timeout} is a deadline for the whole request line and
 * headers, not only a silence between two reads: a client that trickles its headers in, a
 * byte at a time, is dropped once the deadline passes.
 */
@TestPropertySource(properties = "server.tomcat.connection-timeout=2s")
class HeaderDeadlineTests extends AgainstEmbeddedSimulator {

	/** Far beyond the 2 s deadline, yet each byte comes well within it. */
	private static final long TRICKLE_MILLIS = 12_000;

	@Test
	void headersTrickledInAByteAtATimeAreDroppedAtTheDeadline() throws IOException, InterruptedException {
		await().until(() -> caller("sim-demo-key").get("/token").statusCode() == 200);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT)) {
			socket.setSoTimeout(1);
			OutputStream out = socket.getOutputStream();
			out.write("GET /token HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
			long start = System.nanoTime();
			boolean dropped = false;
			while (!dropped && System.nanoTime() - start < TRICKLE_MILLIS * 1_000_000) {
				Thread.sleep(400);
				dropped = !sendOneByte(out) || closedByPeer(socket.getInputStream());
			}

			assertThat(dropped).as("the server dropped the connection while the headers trickled in").isTrue();
		}
	}

	private static boolean sendOneByte(OutputStream out) {
		try {
			out.write('a');
			out.flush();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A 408 or 400 and then the end of the stream, or the end at once. */
	private static boolean closedByPeer(InputStream in) {
		try {
			while (true) {
				if (in.read() < 0) {
					return true;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
