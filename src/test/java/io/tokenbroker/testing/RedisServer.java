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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis without Docker: Debian's {@code redis-server} (package
 * {@code redis-server}, which {@code .ci/run} installs) as a process of the test, on a
 * free loopback port, with a password, nothing saved to disk unless asked. A test that
 * needs it is skipped when the binary is not installed.
 */
public final class RedisServer implements AutoCloseable {

	/**
	 * The user the fleet recipe of {@code docker-compose.redis.yml} gives the brokers.
	 */
	public static final String BROKER_USER = "broker";

	private final List<String> command;

	private final int port;

	private final String user;

	private final String password;

	private final Path directory;

	private Process process;

	private RedisServer(List<String> command, int port, String user, String password, Path directory) {
		this.command = command;
		this.port = port;
		this.user = user;
		this.password = password;
		this.directory = directory;
	}

	/**
	 * Starts {@code redis-server} requiring this password of its default user; skips the
	 * calling test when it is not installed.
	 */
	public static RedisServer start(String password) {
		return start(null, password, List.of("--requirepass", password), false);
	}

	/**
	 * The same, keeping its data in an append-only file: a server {@link #stop() stopped}
	 * and {@link #start() started} again has it back, as Redis with persistence does.
	 */
	public static RedisServer startKeepingData(String password) {
		return start(null, password, List.of("--requirepass", password), true);
	}

	/**
	 * Starts {@code redis-server} as the fleet recipe sets it up: the default user off,
	 * the user {@code broker} with this password and the rights that the recipe's ACL
	 * rule in {@code docker-compose.redis.yml} gives it (read from that file, so that the
	 * rule the tests run is the one operators copy).
	 */
	public static RedisServer startAsTheRecipe(String password) {
		List<String> users = new ArrayList<>(
				List.of("--user", "default", "off", "--user", BROKER_USER, "on", ">" + password));
		users.addAll(recipeRule());
		return start(BROKER_USER, password, users, false);
	}

	/** The rights after {@code "--user", "broker", "on", ">password"} in the recipe. */
	public static List<String> recipeRule() {
		try {
			String compose = Files.readString(Path.of("docker-compose.redis.yml"));
			Matcher user = Pattern.compile("\"--user\", \"broker\", \"on\", \">[^\"]*\",([^\\]]*)]").matcher(compose);
			if (!user.find()) {
				throw new IllegalStateException("docker-compose.redis.yml gives Redis no user broker");
			}
			List<String> rule = new ArrayList<>();
			Matcher words = Pattern.compile("\"([^\"]*)\"").matcher(user.group(1));
			while (words.find()) {
				rule.add(words.group(1));
			}
			return rule;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static RedisServer start(String user, String password, List<String> authentication, boolean keepData) {
		String binary = binary();
		Assumptions.assumeTrue(binary != null,
				"redis-server is not installed (apt-get install redis-server): skipped, CI installs it");
		try {
			Path directory = Files.createTempDirectory("redis-server");
			int port = FreePorts.next();
			List<String> command = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1", "--port",
					Integer.toString(port), "--save", "", "--appendonly", keepData ? "yes" : "no", "--dir",
					directory.toString(), "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"));
			command.addAll(authentication);
			RedisServer server = new RedisServer(List.copyOf(command), port, user, password, directory);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts the server (again), on its port, and waits until it answers. */
	public synchronized void start() {
		try {
			Process started = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
			this.process = started;
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				if (!started.isAlive()) {
					throw new IllegalStateException(
							"redis-server exited: " + Files.readString(this.directory.resolve("redis.log")));
				}
				return ping();
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stops the server as an operator would (SIGTERM): it answers nothing until started.
	 */
	public synchronized void stop() {
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

	/**
	 * A started connection factory that logs in as the broker does; destroy it after use.
	 */
	public LettuceConnectionFactory connect() {
		RedisStandaloneConfiguration where = new RedisStandaloneConfiguration("127.0.0.1", this.port);
		where.setUsername(this.user);
		where.setPassword(this.password);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(where);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** The broker's settings that reach this server. */
	public List<String> settings() {
		List<String> settings = new ArrayList<>(List.of("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + this.port, "spring.data.redis.password=" + this.password));
		if (this.user != null) {
			settings.add("spring.data.redis.username=" + this.user);
		}
		return settings;
	}

	/** Whether it answers an authenticated PING (raw RESP, no client library). */
	boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			String auth = (this.user != null) ? "AUTH " + this.user + " " + this.password : "AUTH " + this.password;
			out.write((auth + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
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

	/**
	 * Sends one command, authenticated, and returns its answer as Redis wrote it (RESP),
	 * read until the server closes the connection.
	 */
	public String command(String... words) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			String auth = (this.user != null) ? "AUTH " + this.user + " " + this.password : "AUTH " + this.password;
			StringBuilder request = new StringBuilder(auth).append("\r\n*").append(words.length).append("\r\n");
			for (String word : words) {
				request.append('$')
					.append(word.getBytes(StandardCharsets.UTF_8).length)
					.append("\r\n")
					.append(word)
					.append("\r\n");
			}
			request.append("QUIT\r\n");
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			// the answers to AUTH and QUIT are +OK each
			return answer.substring(answer.indexOf("\r\n") + 2, answer.lastIndexOf("+OK"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		stop();
		// the append-only file of a server keeping its data is a directory of files
		try (var files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

}
