package io.tokenbroker.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the project publishes never works in front of a real account: no document or
 * compose file configures a key anyone can read, except the demo profile's own.
 */
class PublishedKeysTests {

	private static final Pattern DIGEST = Pattern.compile("\\b[0-9a-fA-F]{64}\\b");

	private static final Pattern STORE_KEY = Pattern.compile("[A-Za-z0-9+/]{43}=");

	@Test
	void noDocumentOrComposeFileConfiguresAPublishedKey() throws IOException {
		List<String> found = new ArrayList<>();
		for (Path file : published()) {
			// keys and digests are ASCII: Latin-1 reads any file without failing
			String text = Files.readString(file, StandardCharsets.ISO_8859_1);
			Matcher digests = DIGEST.matcher(text);
			while (digests.find()) {
				if (PublishedKeys.clientKey(KeyDigest.of(digests.group())).isPresent()) {
					found.add(file + ": " + digests.group());
				}
			}
			Matcher keys = STORE_KEY.matcher(text);
			while (keys.find()) {
				if (PublishedKeys.storeKey(Secret.of(keys.group())).isPresent()) {
					found.add(file + ": " + keys.group());
				}
			}
		}

		assertThat(found).isEmpty();
	}

	@Test
	void theComposeFileTakesItsKeysFromTheOperator() throws IOException {
		String compose = Files.readString(Path.of("docker-compose.yml"));

		assertThat(compose).doesNotContainPattern(DIGEST).doesNotContainPattern(STORE_KEY);
		assertThat(compose).contains("BROKER_CLIENTS_DEMO_KEY_SHA256: ${BROKER_CLIENTS_DEMO_KEY_SHA256:?")
			.contains("BROKER_STORE_KEYS_DEMO: ${BROKER_STORE_KEYS_DEMO:?");
	}

	@Test
	void theDemoProfileIsWhereTheDemoKeyIsConfigured() throws IOException {
		String sim = Files.readString(Path.of("src/main/resources/application-sim.yml"));
		Matcher digest = DIGEST.matcher(sim);

		assertThat(digest.find()).isTrue();
		assertThat(PublishedKeys.clientKey(KeyDigest.of(digest.group()))).contains("the demo key sim-demo-key");
	}

	@Test
	void storeKeysAreComparedAsTheKeyTheyDecodeTo() {
		assertThat(PublishedKeys.storeKey(Secret.of(" DsoMb97jZCzVYbSZMVIhPPpnVW8S9G8uQW7Q73UIzSU=\n"))).isPresent();
		assertThat(PublishedKeys.storeKey(Secret.of("A".repeat(43) + "="))).isEmpty();
		assertThat(PublishedKeys.storeKey(Secret.of("not base64"))).isEmpty();
	}

	/** Files an operator reads or copies: docs, compose files, manifests, scripts. */
	private static List<Path> published() throws IOException {
		List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("docker-compose.yml"),
				Path.of("docker-compose.redis.yml"), Path.of("Dockerfile")));
		for (String tree : List.of("docs", "deploy", "clients", "bench")) {
			try (Stream<Path> walk = Files.walk(Path.of(tree))) {
				walk.filter(Files::isRegularFile)
					.filter((file) -> !file.toString().contains("node_modules"))
					.filter((file) -> !isInHiddenDirectory(file))
					.filter((file) -> file.toString().matches(".*\\.(md|ya?ml|sh|env|properties|json|mjs|py|java)$")
							|| !file.getFileName().toString().contains("."))
					.filter((file) -> !file.getFileName().toString().equals("package-lock.json"))
					.forEach(files::add);
			}
		}
		return files;
	}

	/**
	 * Caches scripts keep beside themselves (deploy/kubernetes/.cache) are not published.
	 */
	private static boolean isInHiddenDirectory(Path file) {
		for (Path part : file.getParent()) {
			if (part.toString().startsWith(".")) {
				return true;
			}
		}
		return false;
	}

}
