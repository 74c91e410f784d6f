package io.tokenbroker.caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The settings that let one client in: {@code broker.clients.<client>.*}, written in one
 * of the forms the broker reads. Holds digests, never a key. Only what differs from the
 * defaults is written: no {@code accounts} when the client may read none, no
 * {@code admin} or {@code metrics} when false.
 *
 * @param client the client id
 * @param digests hex SHA-256 of each key the client may present, oldest first
 * @param accounts account ids the client may read, or {@code "*"}; empty for none
 * @param admin whether the client may use the management endpoints
 * @param metrics whether the client may read {@code /actuator/prometheus}
 */
record ClientSettings(String client, List<String> digests, List<String> accounts, boolean admin, boolean metrics) {

	/** The Secret that {@code deploy/kubernetes} mounts as the broker's configtree. */
	static final String DEFAULT_SECRET_NAME = "tradovate-token-broker-secrets";

	ClientSettings {
		digests = List.copyOf(digests);
		accounts = List.copyOf(accounts);
	}

	/** The forms the settings can be written in, by the name {@code --format} takes. */
	enum Format {

		ENV("env", "environment variables", ClientSettings::env),

		PROPERTIES("properties", "application.properties lines", ClientSettings::properties),

		YAML("yaml", "application.yml", ClientSettings::yaml),

		JSON("json", "JSON, also for SPRING_APPLICATION_JSON", ClientSettings::json),

		K8S_SECRET("k8s-secret", "a Kubernetes Secret of configtree files", null);

		final String option;

		final String description;

		private final Function<ClientSettings, String> writer;

		Format(String option, String description, Function<ClientSettings, String> writer) {
			this.option = option;
			this.description = description;
			this.writer = writer;
		}

		static Format named(String option) {
			for (Format format : values()) {
				if (format.option.equals(option)) {
					return format;
				}
			}
			return null;
		}

		static String names() {
			List<String> names = new ArrayList<>();
			for (Format format : values()) {
				names.add(format.option);
			}
			return String.join(", ", names);
		}

	}

	/**
	 * @param secretName the Secret's name, for {@link Format#K8S_SECRET} only
	 */
	String written(Format format, String secretName) {
		return (format == Format.K8S_SECRET) ? secret(secretName) : format.writer.apply(this);
	}

	/** Setting name (after {@code broker.clients.<client>.}) and value, in order. */
	private List<String[]> flat() {
		List<String[]> settings = new ArrayList<>();
		// a comma list binds to the list of digests, from every property source
		settings.add(new String[] { "key-sha256", String.join(",", this.digests) });
		if (!this.accounts.isEmpty()) {
			settings.add(new String[] { "accounts", String.join(",", this.accounts) });
		}
		if (this.admin) {
			settings.add(new String[] { "admin", "true" });
		}
		if (this.metrics) {
			settings.add(new String[] { "metrics", "true" });
		}
		return settings;
	}

	private String property(String name) {
		return "broker.clients." + this.client + "." + name;
	}

	private String env() {
		StringBuilder lines = new StringBuilder();
		String prefix = "BROKER_CLIENTS_" + this.client.toUpperCase(Locale.ROOT) + "_";
		for (String[] setting : flat()) {
			lines.append(prefix)
				.append(setting[0].replace('-', '_').toUpperCase(Locale.ROOT))
				.append('=')
				.append(setting[1])
				.append('\n');
		}
		return lines.toString();
	}

	private String properties() {
		StringBuilder lines = new StringBuilder();
		for (String[] setting : flat()) {
			lines.append(property(setting[0])).append('=').append(setting[1]).append('\n');
		}
		return lines.toString();
	}

	private String yaml() {
		// strings quoted: a bare * is a YAML alias, and a digest of digits could read as
		// a number
		StringBuilder yaml = new StringBuilder("broker:\n  clients:\n    ").append(this.client).append(":\n");
		yaml.append("      key-sha256:\n");
		this.digests.forEach((digest) -> yaml.append("        - \"").append(digest).append("\"\n"));
		if (!this.accounts.isEmpty()) {
			yaml.append("      accounts:\n");
			this.accounts.forEach((account) -> yaml.append("        - \"").append(account).append("\"\n"));
		}
		if (this.admin) {
			yaml.append("      admin: true\n");
		}
		if (this.metrics) {
			yaml.append("      metrics: true\n");
		}
		return yaml.toString();
	}

	private String json() {
		List<String> members = new ArrayList<>();
		members.add("\"key-sha256\": " + jsonArray(this.digests));
		if (!this.accounts.isEmpty()) {
			members.add("\"accounts\": " + jsonArray(this.accounts));
		}
		if (this.admin) {
			members.add("\"admin\": true");
		}
		if (this.metrics) {
			members.add("\"metrics\": true");
		}
		return "{\n  \"broker\": {\n    \"clients\": {\n      \"" + this.client + "\": {\n        "
				+ String.join(",\n        ", members) + "\n      }\n    }\n  }\n}\n";
	}

	// every value is a client id, an account id, "*" or hex digits: nothing to escape
	private static String jsonArray(List<String> values) {
		return "[" + String.join(", ", values.stream().map((value) -> "\"" + value + "\"").toList()) + "]";
	}

	/**
	 * A Secret whose keys are files named after the settings, as the broker reads them
	 * through {@code spring.config.import=configtree:}.
	 */
	private String secret(String name) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("apiVersion: v1\n")
			.append("kind: Secret\n")
			.append("metadata:\n")
			.append("  name: ")
			.append(name)
			.append('\n')
			.append("  labels:\n")
			.append("    app.kubernetes.io/part-of: tradovate-token-broker\n")
			.append("type: Opaque\n")
			.append("stringData:\n");
		for (String[] setting : flat()) {
			yaml.append("  ").append(property(setting[0])).append(": \"").append(setting[1]).append("\"\n");
		}
		return yaml.toString();
	}

}
