package io.tokenbroker.simulator;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.SettingsException;
import io.tokenbroker.account.TradovateEnvironment;

/**
 * The demo profile hands every token to a world-known key. So whenever a key published in
 * this project is configured (the demo client's digest, or any other), it refuses to
 * start beside anything real: every account must log in to the embedded simulator, none
 * may be {@code live}.
 */
final class DemoGuard {

	/**
	 * @param published settings holding a key published in this project, with what it is
	 * (the demo client's digest among them): none, and there is nothing to guard
	 * @param port this application's own port, where the embedded simulator answers
	 * @throws SettingsException when an account is live or logs in anywhere else
	 */
	DemoGuard(Map<String, String> published, Map<String, AccountsProperties.Account> accounts, String port) {
		if (published.isEmpty()) {
			return;
		}
		Map.Entry<String, String> key = published.entrySet().iterator().next();
		accounts.forEach((id, account) -> {
			String problem = problem(account, port);
			if (problem != null) {
				throw new SettingsException(
						"The demo profile (sim) accepts " + key.getValue() + " (" + key.getKey() + "), but account "
								+ id + " " + problem,
						"Run real accounts without the sim profile, with client keys of your own (new-client-key).",
						null);
			}
		});
	}

	private static String problem(AccountsProperties.Account account, String port) {
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
