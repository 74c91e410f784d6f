package io.tokenbroker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.test.util.TestSocketUtils;

/**
 * The packaged broker jar running in its own JVM, as a deployment runs it: it can be
 * stopped gracefully or killed outright. Its output goes to {@code target/processes/}.
 */
public final class BrokerProcess implements AutoCloseable {

	private final String name;

	private final int port;

	private final Process process;

	private BrokerProcess(String name, int port, Process process) {
		this.name = name;
		this.port = port;
		this.process = process;
	}

	/**
	 * Starts the packaged jar with these settings ({@code name=value}) on a free port.
	 */
	public static BrokerProcess start(String name, List<String> settings) {
		int port = TestSocketUtils.findAvailableTcpPort();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
						"-XX:TieredStopAtLevel=1", "-jar", packagedJar().toString(), "--server.port=" + port,
						"--spring.main.banner-mode=off"));
		settings.forEach((setting) -> command.add("--" + setting));
		try {
			Path logs = Files.createDirectories(Path.of("target", "processes"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(logs.resolve(name + ".log").toFile())
				.start();
			return new BrokerProcess(name, port, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The jar {@code ./mvnw package} built; Failsafe runs after it. */
	public static Path packagedJar() {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "tradovate-token-broker-*.jar")) {
			for (Path jar : jars) {
				return jar;
			}
		}
		catch (IOException ex) {
			// reported below
		}
		throw new IllegalStateException("No target/tradovate-token-broker-*.jar: run ./mvnw package first");
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public boolean alive() {
		return this.process.isAlive();
	}

	public BrokerCaller caller(String key) {
		return new BrokerCaller(this.port, key);
	}

	/** SIGKILL: no graceful shutdown, no lease given back. */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit();
	}

	/** SIGTERM: graceful shutdown. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			waitForExit();
		}
	}

	private void waitForExit() {
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
