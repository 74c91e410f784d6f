package io.tokenbroker.caller;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.tokenbroker.account.BrokerProperties;
import io.tokenbroker.account.Secret;

/**
 * Recognizes callers by their API key. Only SHA-256 digests of the keys are held, and a
 * presented key is compared with every one of them in constant time, so neither the
 * digests nor the timing tell which client (or which prefix) came close.
 */
public class CallerKeys {

	private final List<Entry> entries;

	public CallerKeys(Map<String, BrokerProperties.ClientProperties> clients) {
		this.entries = new TreeMap<>(clients).entrySet()
			.stream()
			.map((client) -> new Entry(HexFormat.of().parseHex(client.getValue().keySha256()),
					new Caller(client.getKey(), Set.copyOf(client.getValue().accounts()), client.getValue().admin())))
			.toList();
	}

	/** The caller whose key this is, if any. */
	public Optional<Caller> identify(String presentedKey) {
		byte[] digest = Secret.sha256(presentedKey);
		Caller match = null;
		for (Entry entry : this.entries) {
			// no early exit: every digest is compared, whatever matched before
			if (MessageDigest.isEqual(digest, entry.digest()) && match == null) {
				match = entry.caller();
			}
		}
		return Optional.ofNullable(match);
	}

	/**
	 * Hex SHA-256 of a key, as configured in {@code broker.clients.<client>.key-sha256}.
	 */
	public static String hash(String key) {
		return HexFormat.of().formatHex(Secret.sha256(key));
	}

	private record Entry(byte[] digest, Caller caller) {
	}

}
