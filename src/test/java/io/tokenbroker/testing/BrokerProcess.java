package io.tokenbroker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged broker jar running in its own JVM, as a deployment runs it: it can be
 * stopped gracefully or killed outright. Its output goes to {@code target/processes/}.
 */
public final class BrokerProcess implements AutoCloseable {

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private BrokerProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts the packaged jar with these settings ({@code name=value}) on a free port.
	 */
	public static BrokerProcess start(String name, List<String> settings) {
		return start(name, List.of(), settings);
	}

	/**
	 * Starts the packaged jar as the image does, on Spring's ahead-of-time code
	 * ({@code -Dspring.aot.enabled=true}), with these settings on a free port.
	 */
	public static BrokerProcess startAheadOfTime(String name, List<String> settings) {
		return start(name, List.of("-Dspring.aot.enabled=true"), settings);
	}

	/**
	 * Each JVM on the client compiler only and, as in the image, the serial collector:
	 * several start at once on the 2-core machine, and a short-lived broker gains nothing
	 * from C2 or G1's concurrent threads.
	 */
	private static BrokerProcess start(String name, List<String> jvmOptions, List<String> settings) {
		int port = FreePorts.next();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
						"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		command.addAll(jvmOptions);
		command.addAll(
				List.of("-jar", packagedJar().toString(), "--server.port=" + port, "--spring.main.banner-mode=off"));
		settings.forEach((setting) -> command.add("--" + setting));
		try {
			Path log = Files.createDirectories(Path.of("target", "processes")).resolve(name + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new BrokerProcess(name, port, process, log);
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

	/** What it has logged so far. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
