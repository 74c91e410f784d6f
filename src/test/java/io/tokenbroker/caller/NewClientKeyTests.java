package io.tokenbroker.caller;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.caller.ClientsProperties.Client;
import io.tokenbroker.account.KeyDigest;
import io.tokenbroker.account.SettingsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code new-client-key} command: what it prints where, each option and format, and
 * its refusals. {@link MintedKeyTests} starts brokers with what it prints.
 */
class NewClientKeyTests {

	static final String OLD_DIGEST = CallerKeys.hash("an old key without prefix");

	/** What one run printed. */
	record Printed(int status, String out, String err) {

		String key() {
			return this.out.strip();
		}

		String digest() {
			return CallerKeys.hash(key());
		}

		/** The settings between the BEGIN and END lines. */
		String settings() {
			int begin = this.err.indexOf("----- BEGIN broker settings -----\n");
			int end = this.err.indexOf("----- END broker settings -----\n");
			assertThat(begin).isNotNegative();
			assertThat(end).isGreaterThan(begin);
			return this.err.substring(begin + "----- BEGIN broker settings -----\n".length(), end);
		}

	}

	static Printed run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		String[] command = Stream.concat(Stream.of(NewClientKey.COMMAND), Stream.of(args)).toArray(String[]::new);
		int status = NewClientKey.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Printed(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** {@code NAME=value} lines. */
	static Map<String, String> env(String lines) {
		Map<String, String> env = new LinkedHashMap<>();
		for (String line : lines.split("\n")) {
			int equals = line.indexOf('=');
			assertThat(equals).as(line).isPositive();
			env.put(line.substring(0, equals), line.substring(equals + 1));
		}
		return env;
	}

	@Test
	void standardOutputHoldsOnlyTheKeyAndNothingElseShowsIt() {
		Printed printed = run("riskjob");

		assertThat(printed.status()).isZero();
		assertThat(printed.out()).isEqualTo(printed.key() + System.lineSeparator());
		assertThat(printed.key()).matches(NewClientKey.KEY).startsWith("tvtb_").hasSize(48);
		assertThat(printed.err()).doesNotContain(printed.key())
			.doesNotContain(printed.key().substring(NewClientKey.PREFIX.length()))
			.contains("shown only this once");
	}

	@Test
	void theDocumentedRegexFindsAKeyInText() {
		String key = NewClientKey.mint();

		assertThat(NewClientKey.KEY.matcher("curl -H 'Authorization: Bearer " + key + "' ...").find()).isTrue();
		assertThat(NewClientKey.KEY.pattern()).isEqualTo("tvtb_[A-Za-z0-9_-]{43}");
	}

	@Test
	void everyKeyIsNew() {
		assertThat(NewClientKey.mint()).isNotEqualTo(NewClientKey.mint()).hasSize(48);
	}

	@Test
	void envIsTheDefaultAndHoldsTheKeysDigestAndNoAccount() {
		Printed printed = run("riskjob");

		assertThat(env(printed.settings()))
			.containsExactly(Map.entry("BROKER_CLIENTS_RISKJOB_KEY_SHA256", printed.digest()));
		assertThat(printed.err()).contains("environment variables").contains("It may read no account yet");
	}

	@Test
	void envWithEveryOption() {
		Printed printed = run("--client", "riskjob", "--accounts", "main,alt", "--admin", "--metrics", "--keep-digest",
				OLD_DIGEST.toUpperCase(), "--format=env");

		assertThat(env(printed.settings())).containsExactly(
				Map.entry("BROKER_CLIENTS_RISKJOB_KEY_SHA256", OLD_DIGEST + "," + printed.digest()),
				Map.entry("BROKER_CLIENTS_RISKJOB_ACCOUNTS", "main,alt"),
				Map.entry("BROKER_CLIENTS_RISKJOB_ADMIN", "true"), Map.entry("BROKER_CLIENTS_RISKJOB_METRICS", "true"));
		assertThat(printed.err()).doesNotContain("no account").contains("keeps working beside the new one");
		assertThat(run("prometheus", "--metrics").err()).doesNotContain("no account");
	}

	@Test
	void everyAccountOnlyWhenAskedFor() {
		Printed printed = run("riskjob", "--accounts", "*");

		assertThat(env(printed.settings())).containsEntry("BROKER_CLIENTS_RISKJOB_ACCOUNTS", "*");
	}

	@Test
	void propertiesParseBack() throws IOException {
		Printed printed = run("riskjob", "--accounts=main", "--metrics", "--format", "properties");

		Properties properties = new Properties();
		properties.load(new StringReader(printed.settings()));
		assertThat(properties).containsOnly(Map.entry("broker.clients.riskjob.key-sha256", printed.digest()),
				Map.entry("broker.clients.riskjob.accounts", "main"),
				Map.entry("broker.clients.riskjob.metrics", "true"));
	}

	@Test
	void yamlParsesBackWithListsOfDigestsAndAccounts() {
		Printed printed = run("riskjob", "--accounts", "*", "--admin", "--keep-digest", OLD_DIGEST, "--format", "yaml");

		Map<String, Object> yaml = new Yaml().load(printed.settings());
		assertThat(yaml).isEqualTo(Map.of("broker", Map.of("clients", Map.of("riskjob", Map.of("key-sha256",
				List.of(OLD_DIGEST, printed.digest()), "accounts", List.of("*"), "admin", true)))));
	}

	@Test
	void yamlWithoutAccountsHasNone() {
		Printed printed = run("riskjob", "--format", "yaml");

		Map<String, Object> yaml = new Yaml().load(printed.settings());
		assertThat(yaml).isEqualTo(Map.of("broker",
				Map.of("clients", Map.of("riskjob", Map.of("key-sha256", List.of(printed.digest()))))));
	}

	@Test
	void jsonParsesBack() {
		Printed printed = run("riskjob", "--accounts", "main", "--metrics", "--format", "json");

		JsonNode client = JsonMapper.builder().build().readTree(printed.settings()).path("broker").path("clients");
		assertThat(client.propertyNames()).containsExactly("riskjob");
		assertThat(client.path("riskjob").toString())
			.isEqualTo("{\"key-sha256\":[\"" + printed.digest() + "\"],\"accounts\":[\"main\"],\"metrics\":true}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aKubernetesSecretHoldsConfigtreeFilesNamedAfterTheSettings() {
		Printed printed = run("riskjob", "--accounts", "main", "--keep-digest", OLD_DIGEST, "--format", "k8s-secret");

		Map<String, Object> secret = new Yaml().load(printed.settings());
		assertThat(secret).containsEntry("apiVersion", "v1").containsEntry("kind", "Secret");
		assertThat((Map<String, Object>) secret.get("metadata")).containsEntry("name",
				"tradovate-token-broker-secrets");
		assertThat((Map<String, Object>) secret.get("stringData")).containsExactly(
				Map.entry("broker.clients.riskjob.key-sha256", OLD_DIGEST + "," + printed.digest()),
				Map.entry("broker.clients.riskjob.accounts", "main"));
		assertThat(printed.err())
			.contains("kubectl patch secret tradovate-token-broker-secrets --type merge --patch-file");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theSecretsNameCanBeChosen() {
		Printed printed = run("riskjob", "--format", "k8s-secret", "--secret-name", "broker-clients.v2");

		Map<String, Object> secret = new Yaml().load(printed.settings());
		assertThat((Map<String, Object>) secret.get("metadata")).containsEntry("name", "broker-clients.v2");
		assertThat((Map<String, Object>) secret.get("stringData"))
			.containsExactly(Map.entry("broker.clients.riskjob.key-sha256", printed.digest()));
	}

	@Test
	void settingsOutHoldsOnlyTheSettings(@TempDir Path directory) throws IOException {
		Path file = directory.resolve("riskjob.yml");
		Printed printed = run("riskjob", "--format", "yaml", "--settings-out", file.toString());

		assertThat(printed.status()).isZero();
		String settings = Files.readString(file);
		assertThat(settings).startsWith("broker:\n").contains(printed.digest()).doesNotContain(printed.key());
		assertThat(printed.err()).contains("written to " + file).doesNotContain("BEGIN").doesNotContain(settings);
		assertThat(printed.out()).isEqualTo(printed.key() + System.lineSeparator());
	}

	@Test
	void settingsOutNeverOverwritesAFile(@TempDir Path directory) throws IOException {
		Path file = Files.writeString(directory.resolve("settings.env"), "somebody's settings\n");

		Printed printed = run("riskjob", "--settings-out", file.toString());

		assertThat(printed.status()).isEqualTo(2);
		assertThat(printed.out()).isEmpty();
		assertThat(Files.readString(file)).isEqualTo("somebody's settings\n");
	}

	@Test
	void aSettingsFileThatCannotBeWrittenIssuesNoKey(@TempDir Path directory) {
		Printed printed = run("riskjob", "--settings-out", directory.resolve("missing/settings.env").toString());

		assertThat(printed.status()).isEqualTo(1);
		assertThat(printed.out()).isEmpty();
		assertThat(printed.err()).startsWith("new-client-key: cannot write ").contains("no key was issued");
	}

	@Test
	void helpPrintsTheUsage() {
		Printed printed = run("--help");

		assertThat(printed.status()).isZero();
		assertThat(printed.out()).startsWith("Usage: java -jar broker.jar new-client-key [options] <client-id>")
			.contains("--accounts ID,ID")
			.contains("--format FORMAT")
			.contains("tvtb_[A-Za-z0-9_-]{43}");
		assertThat(printed.err()).isEmpty();
		assertThat(run("riskjob", "-h").out()).isEqualTo(printed.out());
	}

	static Stream<Arguments> refusals() {
		return Stream.of(Arguments.of(List.of(), "a client id is required"),
				Arguments.of(List.of("Bad Id"), "client id \"Bad Id\" is not 1-32 lower case letters or digits"),
				Arguments.of(List.of("risk-job"), "client id \"risk-job\" is not"),
				Arguments.of(List.of("a".repeat(33)), "is not 1-32"),
				Arguments.of(List.of("riskjob", "other"), "one client id at a time: riskjob and other"),
				Arguments.of(List.of("riskjob", "--client", "other"), "one client id at a time"),
				Arguments.of(List.of("riskjob", "--frobnicate"), "unknown option \"--frobnicate\""),
				Arguments.of(List.of("riskjob", "-x"), "unknown option \"-x\""),
				Arguments.of(List.of("riskjob", "--accounts", "Main"), "account id \"Main\" is not"),
				Arguments.of(List.of("riskjob", "--accounts", "main,,alt"), "account id \"\" is not"),
				Arguments.of(List.of("riskjob", "--accounts", "main,*"), "'*' stands for every account"),
				Arguments.of(List.of("riskjob", "--accounts"), "--accounts needs a value"),
				Arguments.of(List.of("riskjob", "--accounts", "a", "--accounts", "b"), "--accounts is given twice"),
				Arguments.of(List.of("riskjob", "--format", "xml"),
						"unknown format \"xml\": one of env, properties, yaml, json, k8s-secret"),
				Arguments.of(List.of("riskjob", "--admin=yes"), "--admin takes no value"),
				Arguments.of(List.of("riskjob", "--secret-name", "x"), "--secret-name goes with --format k8s-secret"),
				Arguments.of(List.of("riskjob", "--format", "k8s-secret", "--secret-name", "Broker_Secrets"),
						"is not a Kubernetes object name"),
				Arguments.of(List.of("riskjob", "--keep-digest", "tvtb_pasted-key-by-mistake"),
						"--keep-digest takes SHA-256 digests"));
	}

	@ParameterizedTest
	@MethodSource("refusals")
	void invalidArgumentsAreOneLineAndStatusTwo(List<String> args, String message) {
		Printed printed = run(args.toArray(String[]::new));

		assertThat(printed.status()).isEqualTo(2);
		assertThat(printed.out()).isEmpty();
		assertThat(printed.err()).startsWith("new-client-key: ")
			.contains(message)
			.endsWith(" (see new-client-key --help)" + System.lineSeparator())
			.doesNotContain("Exception")
			.doesNotContain("pasted-key");
		assertThat(printed.err().lines()).hasSize(1);
	}

	@Test
	void theDigestPrintedLetsTheKeyIn() {
		Printed printed = run("riskjob", "--accounts", "main");

		CallerKeys keys = new CallerKeys(Map.of("riskjob",
				new Client(List.of(KeyDigest.of(env(printed.settings()).get("BROKER_CLIENTS_RISKJOB_KEY_SHA256"))),
						List.of("main"), false, false)));
		assertThat(keys.identify(printed.key())).hasValueSatisfying((caller) -> {
			assertThat(caller.id()).isEqualTo("riskjob");
			assertThat(caller.accounts()).containsExactly("main");
		});
	}

	@Test
	void aDigestListedTwiceForOneClientStopsStartUp() {
		List<KeyDigest> twice = List.of(KeyDigest.of(OLD_DIGEST), KeyDigest.of(OLD_DIGEST.toUpperCase()));

		assertThatExceptionOfType(SettingsException.class)
			.isThrownBy(() -> new CallerKeys(Map.of("riskjob", new Client(twice, List.of(), false, false))))
			.withMessage("broker.clients.riskjob.key-sha256 lists the same key digest twice: sha256:"
					+ OLD_DIGEST.substring(0, 8) + "...");
	}

	@Test
	void aKeyWithoutPrefixStillWorks() {
		List<KeyDigest> digests = new ArrayList<>();
		digests.add(KeyDigest.of(OLD_DIGEST));
		CallerKeys keys = new CallerKeys(Map.of("riskjob", new Client(digests, List.of(), false, false)));

		assertThat(keys.identify("an old key without prefix")).isPresent();
	}

}
