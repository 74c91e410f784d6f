package io.tokenbroker.caller;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.tokenbroker.account.BrokerProperties;
import io.tokenbroker.account.KeyDigest;
import io.tokenbroker.account.Secret;
import io.tokenbroker.account.SettingsException;

/**
 * Recognizes callers by their API key. Only SHA-256 digests of the keys are held, and a
 * presented key is compared with every one of them in constant time, so neither the
 * digests nor the timing tell which client (or which prefix) came close.
 */
public class CallerKeys {

	private final List<Entry> entries;

	/**
	 * @throws SettingsException when two clients share a digest: the second's key would
	 * get the first's rights
	 */
	public CallerKeys(Map<String, BrokerProperties.ClientProperties> clients) {
		Map<String, String> owners = new HashMap<>();
		List<Entry> entries = new ArrayList<>();
		new TreeMap<>(clients).forEach((id, client) -> {
			Caller caller = new Caller(id, Set.copyOf(client.accounts()), client.admin(), client.metrics());
			for (KeyDigest digest : client.keySha256()) {
				String owner = owners.putIfAbsent(digest.normalized(), id);
				if (owner != null) {
					throw new SettingsException(
							"broker.clients." + owner + ".key-sha256 and broker.clients." + id
									+ ".key-sha256 name the same key digest " + digest,
							"Give each client its own key: mint one with new-client-key for one of them.", null);
				}
				entries.add(new Entry(digest.bytes(), caller));
			}
		});
		this.entries = List.copyOf(entries);
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
