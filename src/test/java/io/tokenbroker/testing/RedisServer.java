package io.tokenbroker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import org.springframework.test.util.TestSocketUtils;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis without Docker: Debian's {@code redis-server} (package
 * {@code redis-server}, which {@code .ci/run} installs) as a process of the test, on a
 * free loopback port, with a password, nothing saved to disk. A test that needs it is
 * skipped when the binary is not installed.
 */
public final class RedisServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private final String password;

	private final Path directory;

	private RedisServer(Process process, int port, String password, Path directory) {
		this.process = process;
		this.port = port;
		this.password = password;
		this.directory = directory;
	}

	/**
	 * Starts {@code redis-server} requiring this password; skips the calling test when it
	 * is not installed.
	 */
	public static RedisServer start(String password) {
		String binary = binary();
		Assumptions.assumeTrue(binary != null,
				"redis-server is not installed (apt-get install redis-server): skipped, CI installs it");
		try {
			Path directory = Files.createTempDirectory("redis-server");
			int port = TestSocketUtils.findAvailableTcpPort();
			List<String> command = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1", "--port",
					Integer.toString(port), "--requirepass", password, "--save", "", "--appendonly", "no", "--dir",
					directory.toString(), "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("redis.log").toFile())
				.start();
			RedisServer server = new RedisServer(process, port, password, directory);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException(
							"redis-server exited: " + Files.readString(directory.resolve("redis.log")));
				}
				return server.ping();
			});
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String binary() {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	public int port() {
		return this.port;
	}

	public String password() {
		return this.password;
	}

	/** The broker's settings that reach this server. */
	public List<String> settings() {
		return List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port,
				"spring.data.redis.password=" + this.password);
	}

	/** Whether it answers an authenticated PING (raw RESP, no client library). */
	boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write(("AUTH " + this.password + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[64];
			StringBuilder answer = new StringBuilder();
			while (!answer.toString().contains("PONG") && !answer.toString().contains("-")) {
				int read = in.read(buffer);
				if (read < 0) {
					break;
				}
				answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
			return answer.toString().contains("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		try (var files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

}
