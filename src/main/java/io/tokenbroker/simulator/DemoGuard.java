package io.tokenbroker.simulator;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import io.tokenbroker.account.BrokerProperties;
import io.tokenbroker.account.SettingsException;
import io.tokenbroker.account.TradovateEnvironment;

/**
 * The demo profile hands every token to a world-known key. So it refuses to start beside
 * anything real: every account must log in to the embedded simulator, none may be
 * {@code live}.
 */
final class DemoGuard {

	/** SHA-256 of the public demo key {@code sim-demo-key}. */
	private static final String DEMO_KEY_SHA256 = "e85379f629f6aefd3ff1705b6dea734ece5891e59caf8ae5f62effaba0db7409";

	/** Whether a client of these would be let in with the public demo key. */
	static boolean servesTheDemoKey(Map<String, BrokerProperties.ClientProperties> clients) {
		return clients.values()
			.stream()
			.flatMap((client) -> client.keySha256().stream())
			.anyMatch((digest) -> DEMO_KEY_SHA256.equals(digest.normalized()));
	}

	/**
	 * @param port this application's own port, where the embedded simulator answers
	 * @throws SettingsException when an account is live or logs in anywhere else
	 */
	DemoGuard(Map<String, BrokerProperties.AccountProperties> accounts, String port) {
		accounts.forEach((id, account) -> {
			String problem = problem(account, port);
			if (problem != null) {
				throw new SettingsException(
						"The demo profile (sim) serves every token to the public key " + "sim-demo-key, but account "
								+ id + " " + problem,
						"Run real accounts without the sim profile, with client keys of your own (new-client-key).",
						null);
			}
		});
	}

	private static String problem(BrokerProperties.AccountProperties account, String port) {
		if (account.resolvedEnvironment() == TradovateEnvironment.LIVE) {
			return "is live";
		}
		URI baseUrl = account.baseUrl();
		if (baseUrl == null) {
			return "logs in to Tradovate's demo environment";
		}
		if (!loopback(baseUrl.getHost()) || !String.valueOf(baseUrl.getPort()).equals(port)) {
			return "logs in to " + baseUrl.getHost() + ":" + baseUrl.getPort() + ", not to the embedded simulator";
		}
		return null;
	}

	private static boolean loopback(String host) {
		if ("localhost".equalsIgnoreCase(host)) {
			return true;
		}
		try {
			// literal addresses only: no name is looked up
			return host != null && host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
					&& InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
