package io.tokenbroker.caller;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.KeyDigest;
import io.tokenbroker.logging.LogValue;

/**
 * The broker's own command that mints a client key:
 * {@code java -jar broker.jar new-client-key [options] <client-id>}. The key alone goes
 * to standard output, once, for the client; the settings that let it in (its SHA-256 and
 * the client's rights) and what to do next go to standard error, or the settings to a
 * file of their own. The broker never stores the key itself.
 */
public final class NewClientKey {

	/** The first program argument that runs this command instead of the broker. */
	public static final String COMMAND = "new-client-key";

	/**
	 * What every minted key starts with, so that secret scanners can find leaked keys.
	 */
	public static final String PREFIX = "tvtb_";

	/**
	 * A minted key: the prefix and 32 random bytes in URL-safe Base64 (43 characters).
	 */
	public static final Pattern KEY = Pattern.compile("tvtb_[A-Za-z0-9_-]{43}");

	static final int USAGE_ERROR = 2;

	static final int OUTPUT_ERROR = 1;

	static final String USAGE = """
			Usage: java -jar broker.jar new-client-key [options] <client-id>

			Mints a key for one client of the broker. The key alone goes to standard output
			(one line, shown only this once: give it to the client). The settings that let it
			in go to standard error between BEGIN and END lines, or to --settings-out FILE.

			  <client-id>, --client ID  1-32 lower case letters or digits
			  --accounts ID,ID          accounts the client may read; '*' for every one
			                            (default: none)
			  --admin                   it may use the management endpoints (/actuator/**)
			  --metrics                 it may read /actuator/prometheus
			  --keep-digest HEX[,HEX]   digests of the client's current keys, kept beside the
			                            new one while the key is replaced (repeatable)
			  --format FORMAT           env (default), properties, yaml, json, k8s-secret
			  --secret-name NAME        the Secret's name with --format k8s-secret
			                            (default: tradovate-token-broker-secrets)
			  --settings-out FILE       write the settings to FILE (a new file) instead of
			                            standard error
			  -h, --help                this text

			Exit status: 0 minted, 2 invalid arguments (nothing minted), 1 output failed.
			Keys match tvtb_[A-Za-z0-9_-]{43}. Issuing and rotating keys: docs/client-keys.md
			""";

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Set<String> VALUED = Set.of("--client", "--accounts", "--keep-digest", "--format",
			"--secret-name", "--settings-out");

	private static final SecureRandom random = new SecureRandom();

	private NewClientKey() {
	}

	/** A new key: the prefix and 256 random bits. */
	static String mint() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * @param args the program arguments: the command, then its options
	 * @param out where the key goes, and nothing else
	 * @param err where the settings and the instructions go
	 * @return the process exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		List<String> arguments = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
		int end = arguments.indexOf("--");
		List<String> options = (end < 0) ? arguments : arguments.subList(0, end);
		if (options.contains("--help") || options.contains("-h")) {
			out.print(USAGE);
			out.flush();
			return 0;
		}
		Request request;
		try {
			request = Request.parse(arguments);
		}
		catch (UsageException ex) {
			err.println(COMMAND + ": " + ex.getMessage() + " (see " + COMMAND + " --help)");
			err.flush();
			return USAGE_ERROR;
		}
		return issue(request, out, err);
	}

	private static int issue(Request request, PrintStream out, PrintStream err) {
		String key = mint();
		List<String> digests = new ArrayList<>(request.kept);
		digests.add(CallerKeys.hash(key));
		ClientSettings settings = new ClientSettings(request.client, digests, request.accounts, request.admin,
				request.metrics);
		String written = settings.written(request.format, request.secretName);
		if (request.settingsOut != null) {
			try {
				Files.writeString(request.settingsOut, written, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				err.println(COMMAND + ": cannot write " + request.settingsOut + ": " + ex.getClass().getSimpleName()
						+ "; no key was issued");
				err.flush();
				return OUTPUT_ERROR;
			}
		}
		out.println(key);
		out.flush();
		if (out.checkError()) {
			err.println(COMMAND + ": the key could not be written to standard output; discard these settings");
			err.flush();
			return OUTPUT_ERROR;
		}
		instruct(request, written, err);
		return 0;
	}

	private static void instruct(Request request, String written, PrintStream err) {
		String client = request.client;
		err.println("The key on standard output is for client " + client
				+ ", shown only this once: give it to the client. The broker keeps only its SHA-256.");
		if (request.accounts.isEmpty() && !request.admin && !request.metrics) {
			// a key that opens nothing: most likely --accounts was forgotten
			err.println("It may read no account yet: mint with --accounts ID,ID (or '*'), or set broker.clients."
					+ client + ".accounts.");
		}
		if (!request.kept.isEmpty()) {
			err.println("Its current key" + ((request.kept.size() > 1) ? "s keep" : " keeps")
					+ " working beside the new one until the old digest is removed from key-sha256.");
		}
		if (request.settingsOut != null) {
			err.println("Broker settings (" + request.format.description + ") written to " + request.settingsOut + ".");
		}
		else {
			err.println("Broker settings (" + request.format.description + "):");
			err.println("----- BEGIN broker settings -----");
			err.print(written);
			err.println("----- END broker settings -----");
		}
		if (request.format == ClientSettings.Format.K8S_SECRET) {
			String file = (request.settingsOut != null) ? request.settingsOut.toString() : "<--settings-out FILE>";
			err.println("Add them to the Secret, keeping its other keys: kubectl patch secret " + request.secretName
					+ " --type merge --patch-file " + file);
		}
		err.println("The broker reads keys and rights at start-up: restart it (replicas one by one). "
				+ "Rotation without downtime: docs/client-keys.md");
		err.flush();
	}

	/** The parsed arguments. */
	private static final class Request {

		String client;

		List<String> accounts = List.of();

		boolean admin;

		boolean metrics;

		final Set<String> kept = new LinkedHashSet<>();

		ClientSettings.Format format = ClientSettings.Format.ENV;

		String secretName;

		Path settingsOut;

		private final Set<String> seen = new LinkedHashSet<>();

		static Request parse(List<String> arguments) {
			Request request = new Request();
			boolean positionalOnly = false;
			for (int i = 0; i < arguments.size(); i++) {
				String argument = arguments.get(i);
				if (positionalOnly || !argument.startsWith("-") || argument.equals("-")) {
					request.client(argument);
					continue;
				}
				if (argument.equals("--")) {
					positionalOnly = true;
					continue;
				}
				int equals = argument.indexOf('=');
				String name = (equals > 0) ? argument.substring(0, equals) : argument;
				String value = null;
				if (VALUED.contains(name)) {
					if (equals > 0) {
						value = argument.substring(equals + 1);
					}
					else if (i + 1 < arguments.size()) {
						value = arguments.get(++i);
					}
					else {
						throw new UsageException(name + " needs a value");
					}
				}
				else if (equals > 0 && (name.equals("--admin") || name.equals("--metrics"))) {
					throw new UsageException(name + " takes no value");
				}
				request.option(name, value);
			}
			return request.checked();
		}

		private void option(String name, String value) {
			if (!name.equals("--keep-digest") && !this.seen.add(name)) {
				throw new UsageException(name + " is given twice");
			}
			switch (name) {
				case "--client" -> client(value);
				case "--accounts" -> this.accounts = accounts(value);
				case "--admin" -> this.admin = true;
				case "--metrics" -> this.metrics = true;
				case "--keep-digest" -> keep(value);
				case "--format" -> {
					this.format = ClientSettings.Format.named(value);
					if (this.format == null) {
						throw new UsageException(
								"unknown format " + shown(value) + ": one of " + ClientSettings.Format.names());
					}
				}
				case "--secret-name" -> {
					if (!SECRET_NAME.matcher(value).matches()) {
						throw new UsageException("secret name " + shown(value) + " is not a Kubernetes object name "
								+ "(lower case letters, digits, '-' and '.')");
					}
					this.secretName = value;
				}
				case "--settings-out" -> this.settingsOut = settingsOut(value);
				default -> throw new UsageException("unknown option " + shown(name));
			}
		}

		private void client(String id) {
			if (!id.matches(ClientsProperties.CLIENT_ID)) {
				throw new UsageException(
						"client id " + shown(id) + " is not 1-32 lower case letters or digits (no dashes)");
			}
			if (this.client != null && !this.client.equals(id)) {
				throw new UsageException("one client id at a time: " + this.client + " and " + id);
			}
			this.client = id;
		}

		private static List<String> accounts(String list) {
			if (list.strip().equals(ClientsProperties.ALL_ACCOUNTS)) {
				return List.of(ClientsProperties.ALL_ACCOUNTS);
			}
			Set<String> accounts = new LinkedHashSet<>();
			for (String account : list.split(",", -1)) {
				String id = account.strip();
				if (id.equals(ClientsProperties.ALL_ACCOUNTS)) {
					throw new UsageException("'*' stands for every account: give it alone, not in a list");
				}
				if (!id.matches(AccountsProperties.ACCOUNT_ID)) {
					throw new UsageException("account id " + shown(id)
							+ " is not 1-32 lower case letters or digits (or '*' alone, for every account)");
				}
				accounts.add(id);
			}
			return List.copyOf(accounts);
		}

		private void keep(String list) {
			for (String digest : list.split(",", -1)) {
				KeyDigest kept = KeyDigest.of(digest);
				if (!kept.wellFormed()) {
					// it may be a key pasted by mistake: not echoed
					throw new UsageException(
							"--keep-digest takes SHA-256 digests (64 hex digits); " + "one is not, and is not shown");
				}
				this.kept.add(kept.normalized());
			}
		}

		private static Path settingsOut(String file) {
			Path path;
			try {
				path = Path.of(file);
			}
			catch (InvalidPathException ex) {
				throw new UsageException("--settings-out " + shown(file) + " is not a file name");
			}
			if (file.isBlank() || Files.isDirectory(path)) {
				throw new UsageException("--settings-out " + shown(file) + " is not a file name");
			}
			// a settings file already there is somebody's: never overwritten
			if (Files.isRegularFile(path)) {
				throw new UsageException("--settings-out " + shown(file) + " exists; it is not overwritten");
			}
			return path;
		}

		private Request checked() {
			if (this.client == null) {
				throw new UsageException("a client id is required: " + COMMAND + " [options] <client-id>");
			}
			if (this.secretName != null && this.format != ClientSettings.Format.K8S_SECRET) {
				throw new UsageException("--secret-name goes with --format k8s-secret only");
			}
			if (this.secretName == null) {
				this.secretName = ClientSettings.DEFAULT_SECRET_NAME;
			}
			return this;
		}

		/** Text from the command line, quoted into a one-line message. */
		private static String shown(String value) {
			return LogValue.quoted(value);
		}

	}

	/** Arguments that do not say what to mint; nothing is minted. */
	private static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message, null, false, false);
		}

	}

}
