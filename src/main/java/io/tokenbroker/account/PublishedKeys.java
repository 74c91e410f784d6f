package io.tokenbroker.account;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.core.env.Environment;

/**
 * Keys that anyone can read in this project: the demo profile's client key, the
 * documentation's example key, the store key its compose file once shipped. They are fine
 * for the demo profile, whose guard keeps every account on the embedded simulator;
 * anywhere else start-up refuses them, naming the setting, so that no copied example
 * opens a real account or its sealed token.
 */
public final class PublishedKeys {

	/** The setting that runs the embedded simulator, and with it the demo guard. */
	private static final String DEMO = "simulator.enabled";

	/** Hex SHA-256 of each published client key, with what it is. */
	private static final Map<String, String> CLIENT_KEYS = Map.of(hash("sim-demo-key"), "the demo key sim-demo-key",
			hash("test"), "the documentation's example key test");

	/** Each published store key (Base64), with what it is. */
	private static final Map<String, String> STORE_KEYS = Map.of("DsoMb97jZCzVYbSZMVIhPPpnVW8S9G8uQW7Q73UIzSU=",
			"the demo store key of docker-compose.yml");

	private PublishedKeys() {
	}

	/** What the key behind this digest is, if it is a published one. */
	public static Optional<String> clientKey(KeyDigest digest) {
		return Optional.ofNullable(digest.wellFormed() ? CLIENT_KEYS.get(digest.normalized()) : null);
	}

	/** What this store key is, if it is a published one: compared as the bytes it is. */
	public static Optional<String> storeKey(Secret key) {
		byte[] bytes = decode(key.reveal());
		if (bytes == null) {
			return Optional.empty();
		}
		return STORE_KEYS.entrySet()
			.stream()
			.filter((published) -> MessageDigest.isEqual(bytes, decode(published.getKey())))
			.map(Map.Entry::getValue)
			.findFirst();
	}

	/**
	 * Each setting among these that holds a published key, with what the key is, in a
	 * stable order.
	 */
	public static Map<String, String> in(Map<String, List<KeyDigest>> clientDigests, Map<String, Secret> storeKeys) {
		Map<String, String> found = new LinkedHashMap<>();
		new TreeMap<>(clientDigests).forEach((id, digests) -> digests.forEach((digest) -> clientKey(digest)
			.ifPresent((what) -> found.putIfAbsent("broker.clients." + id + ".key-sha256", what))));
		new TreeMap<>(storeKeys).forEach((id, key) -> {
			if (key != null) {
				storeKey(key).ifPresent((what) -> found.put("broker.store.keys." + id, what));
			}
		});
		return found;
	}

	/**
	 * @throws SettingsException naming the first setting that holds a published key,
	 * unless the embedded simulator runs (its demo guard then keeps every account on it)
	 */
	public static void refuseOutsideTheDemo(Environment environment, Map<String, String> found) {
		if (found.isEmpty() || environment.getProperty(DEMO, Boolean.class, false)) {
			return;
		}
		Map.Entry<String, String> first = found.entrySet().iterator().next();
		throw new SettingsException(
				SettingsFailureAnalyzer.named(first.getKey()) + " holds "
						+ (first.getKey().endsWith(".key-sha256") ? "the SHA-256 of " : "") + first.getValue()
						+ ", published in this project: anyone could use it",
				"Use a key of your own: new-client-key <client> mints a client key, openssl rand -base64 32 a store "
						+ "key. Published keys work only in the demo profile (sim), against its embedded simulator.",
				null);
	}

	private static String hash(String key) {
		return HexFormat.of().formatHex(Secret.sha256(key));
	}

	private static byte[] decode(String base64) {
		try {
			return Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
