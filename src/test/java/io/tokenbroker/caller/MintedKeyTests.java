package io.tokenbroker.caller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.context.support.StandardServletEnvironment;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.caller.NewClientKeyTests.Printed;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreePorts;

import static io.tokenbroker.caller.NewClientKeyTests.env;
import static io.tokenbroker.caller.NewClientKeyTests.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Brokers (profile {@code sim}) started with exactly what {@code new-client-key} printed,
 * in each format, let its keys in with the rights asked for; a rotation's two digests
 * both work, and dropping the old one refuses the old key.
 */
@Tag("application")
@ExtendWith(OutputCaptureExtension.class)
class MintedKeyTests {

	private static final String BOT_DIGESTS = "BROKER_CLIENTS_BOT_KEY_SHA256";

	@Test
	@SuppressWarnings("unchecked")
	void theBrokerLetsInEachKeyWithTheSettingsPrintedInEachFormat(@TempDir Path directory) throws IOException {
		Printed bot = run("bot", "--accounts", "sim");
		Path opsFile = directory.resolve("ops.properties");
		Printed ops = run("ops", "--admin", "--format", "properties", "--settings-out", opsFile.toString());
		Path scraperFile = directory.resolve("scraper.yml");
		Printed scraper = run("scraper", "--metrics", "--format", "yaml", "--settings-out", scraperFile.toString());
		Printed feed = run("feed", "--accounts", "*", "--format", "json");
		Printed kube = run("kube", "--accounts", "sim", "--keep-digest", NewClientKeyTests.OLD_DIGEST, "--format",
				"k8s-secret");
		// the Secret as Kubernetes mounts it: one file per key
		Path tree = Files.createDirectory(directory.resolve("secrets"));
		Map<String, Object> secret = new Yaml().load(kube.settings());
		for (Map.Entry<String, Object> file : ((Map<String, Object>) secret.get("stringData")).entrySet()) {
			Files.writeString(tree.resolve(file.getKey()), file.getValue() + "\n");
		}
		Map<String, Object> environment = new HashMap<>(env(bot.settings()));
		environment.put("SPRING_APPLICATION_JSON", feed.settings());

		int port = FreePorts.next();
		try (ConfigurableApplicationContext broker = broker(port, environment,
				"--spring.config.import=file:" + opsFile + ",file:" + scraperFile + ",configtree:" + tree + "/")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> caller(port, bot).get("/token").statusCode() == 200);
			assertThat(caller(port, feed).get("/token/sim").statusCode()).isEqualTo(200);
			assertThat(caller(port, kube).get("/token").statusCode()).isEqualTo(200);
			// no account unless asked for
			assertThat(caller(port, ops).get("/actuator/tokens").statusCode()).isEqualTo(200);
			assertThat(caller(port, ops).get("/token").statusCode()).isEqualTo(403);
			assertThat(caller(port, scraper).get("/actuator/prometheus").statusCode()).isEqualTo(200);
			assertThat(caller(port, scraper).get("/actuator/tokens").statusCode()).isEqualTo(403);
			assertThat(caller(port, scraper).get("/token").statusCode()).isEqualTo(403);
			assertThat(caller(port, bot).get("/actuator/prometheus").statusCode()).isEqualTo(403);
			assertThat(new BrokerCaller(port, NewClientKey.mint()).get("/token").statusCode()).isEqualTo(401);
		}
	}

	@Test
	void duringARotationBothKeysWorkAndWithoutTheOldDigestOnlyTheNewOne(CapturedOutput output) {
		Printed old = run("bot", "--accounts", "sim");
		Printed rotated = run("bot", "--accounts", "sim", "--keep-digest", old.digest());
		Map<String, Object> both = new HashMap<>(env(rotated.settings()));
		assertThat(both).containsEntry(BOT_DIGESTS, old.digest() + "," + rotated.digest());

		int port = FreePorts.next();
		try (ConfigurableApplicationContext broker = broker(port, both)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> caller(port, old).get("/token").statusCode() == 200);
			// which of the client's keys is still in use: per key, when it was last used
			assertThat(lastUsed(port, old)).isPositive();
			assertThat(lastUsed(port, rotated)).isZero();
			assertThat(caller(port, rotated).get("/token").statusCode()).isEqualTo(200);
			assertThat(lastUsed(port, rotated)).isPositive();
			assertThat(output)
				.contains("client key first used client=\"bot\" key_sha256=\"" + old.digest().substring(0, 8) + "\"");
		}

		Map<String, Object> after = new HashMap<>(both);
		after.put(BOT_DIGESTS, rotated.digest());
		int next = FreePorts.next();
		try (ConfigurableApplicationContext broker = broker(next, after)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> caller(next, rotated).get("/token").statusCode() == 200);
			assertThat(caller(next, old).get("/token").statusCode()).isEqualTo(401);
		}
	}

	/**
	 * {@code broker_client_key_last_used_seconds} of this key, read by the demo admin.
	 */
	private static double lastUsed(int port, Printed printed) {
		String metrics = new BrokerCaller(port, "sim-demo-key").get("/actuator/prometheus").body();
		String series = "broker_client_key_last_used_seconds{client=\"bot\",key_sha256=\""
				+ printed.digest().substring(0, 8) + "\"} ";
		return metrics.lines()
			.filter((line) -> line.startsWith(series))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length())))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + series + "in\n" + metrics));
	}

	private static BrokerCaller caller(int port, Printed printed) {
		return new BrokerCaller(port, printed.key());
	}

	/**
	 * The broker on the embedded simulator, with these environment variables instead of
	 * the process's.
	 */
	private static ConfigurableApplicationContext broker(int port, Map<String, Object> variables, String... args) {
		StandardServletEnvironment environment = new StandardServletEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		String[] arguments = new String[args.length + 2];
		arguments[0] = "--server.port=" + port;
		arguments[1] = "--spring.main.banner-mode=off";
		System.arraycopy(args, 0, arguments, 2, args.length);
		return new SpringApplicationBuilder(TokenBrokerApplication.class).environment(environment)
			.profiles("sim")
			.run(arguments);
	}

}
