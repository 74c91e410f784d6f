package io.tokenbroker.caller;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import io.tokenbroker.account.BrokerProperties;

/**
 * The broker's own command that mints a client key:
 * {@code java -jar broker.jar new-client-key <client-id>}. Prints the key once, for the
 * client, and the settings that let it in, for the broker; the broker never stores the
 * key itself.
 */
public final class NewClientKey {

	/** The first program argument that runs this command instead of the broker. */
	public static final String COMMAND = "new-client-key";

	private static final SecureRandom random = new SecureRandom();

	private NewClientKey() {
	}

	/** 32 random bytes, URL-safe Base64 without padding: 43 characters, 256 bits. */
	static String mint() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * @param args the program arguments: the command, then an optional client id
	 * @return the process exit code
	 */
	public static int run(String[] args, PrintStream out) {
		String client = (args.length > 1) ? args[1] : "my-client";
		if (!client.matches(BrokerProperties.ACCOUNT_ID)) {
			out.println("Client ids are 1-32 lower case letters, digits or dashes: " + client + " is not one.");
			return 2;
		}
		String key = mint();
		String variable = "BROKER_CLIENTS_" + client.toUpperCase(Locale.ROOT);
		out.println("Client key for " + client + " (give it to the client; it is shown only this once):");
		out.println();
		out.println("  " + key);
		out.println();
		out.println("Broker settings (the SHA-256 of the key, safe to keep in configuration):");
		out.println();
		out.println("  broker.clients." + client + ".key-sha256=" + CallerKeys.hash(key));
		out.println("  broker.clients." + client + ".accounts=*");
		out.println();
		if (client.contains("-")) {
			// environment variable names cannot carry a dash inside a map key
			out.println(
					"(A client id with a dash can be set in a configuration file only, not in environment variables.)");
			return 0;
		}
		out.println("or as environment variables:");
		out.println();
		out.println("  " + variable + "_KEY_SHA256=" + CallerKeys.hash(key));
		out.println("  " + variable + "_ACCOUNTS=*");
		return 0;
	}

}
