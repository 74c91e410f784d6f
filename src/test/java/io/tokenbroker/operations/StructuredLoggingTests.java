package io.tokenbroker.operations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code logging.structured.format.console=ecs} turns the console log into one JSON
 * object per line, with the request id. The broker runs in a JVM of its own here: the
 * format would otherwise stay set for every later test of this JVM.
 */
@Tag("application")
class StructuredLoggingTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final int port = FreePorts.next();

	private final List<String> lines = new CopyOnWriteArrayList<>();

	@Test
	void everyLogLineIsJsonWithTheRequestId() throws IOException, InterruptedException {
		Process broker = start("--logging.structured.format.console=ecs");
		try {
			BrokerCaller admin = new BrokerCaller(this.port, "sim-demo-key");
			// a JVM of its own, beside the tests' JVMs: slow to start on a loaded machine
			await().atMost(Duration.ofSeconds(90)).until(() -> logged("Started TokenBrokerApplication"));
			await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/token").statusCode() == 200);

			admin.send("POST", "/actuator/tokens/sim", "X-Request-Id", "json-check-1");

			await().atMost(Duration.ofSeconds(30)).until(() -> logged("asked to act now"));
		}
		finally {
			stop(broker);
		}
		List<String> events = this.lines.stream().filter((line) -> line.startsWith("{")).toList();
		assertThat(events).allSatisfy((line) -> assertThat(json.readTree(line).get("@timestamp")).isNotNull());
		assertThat(events).anySatisfy((line) -> {
			JsonNode event = json.readTree(line);
			assertThat(event.at("/log/level").stringValue()).isEqualTo("INFO");
			assertThat(event.get("message").stringValue()).contains("asked to act now");
			assertThat(event.get("requestId").stringValue()).isEqualTo("json-check-1");
		});
		assertThat(this.lines.stream().filter((line) -> line.contains("Started TokenBrokerApplication")))
			.singleElement()
			.satisfies((line) -> assertThat(json.readTree(line).get("message").stringValue())
				.startsWith("Started TokenBrokerApplication"));
	}

	private boolean logged(String text) {
		return this.lines.stream().anyMatch((line) -> line.contains(text));
	}

	private Process start(String... arguments) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
						"-cp", System.getProperty("java.class.path"), TokenBrokerApplication.class.getName(),
						"--spring.profiles.active=sim", "--server.port=" + this.port));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				out.lines().forEach(this.lines::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, "broker-output");
		reader.setDaemon(true);
		reader.start();
		return process;
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
