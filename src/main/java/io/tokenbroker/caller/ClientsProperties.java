package io.tokenbroker.caller;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.tokenbroker.account.AccountGrants;
import io.tokenbroker.account.KeyDigest;

/**
 * The internal callers allowed to fetch tokens ({@code broker.clients.<client>.*}). That
 * there is one, and that their accounts are configured under {@code broker.accounts}, is
 * checked with the accounts' settings ({@link AccountGrants}).
 *
 * @param clients internal callers allowed to fetch tokens, by client id
 */
@ConfigurationProperties("broker")
@Validated
public record ClientsProperties(
		Map<@Pattern(regexp = CLIENT_ID,
				message = "client ids are 1-32 lower case letters or digits, so that environment variables can name "
						+ "them (BROKER_CLIENTS_<ID>_KEY_SHA256)") String, @Valid Client> clients)
		implements
			AccountGrants {

	/**
	 * What a client id looks like: it appears in logs, metric tags and variable names.
	 */
	public static final String CLIENT_ID = "[a-z0-9]{1,32}";

	public ClientsProperties {
		clients = (clients != null) ? Map.copyOf(clients) : Map.of();
	}

	@Override
	public Map<String, List<String>> accountsByClient() {
		return this.clients.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (client) -> client.getValue().accounts()));
	}

	/** Each client's key digests, by client id. */
	public Map<String, List<KeyDigest>> keyDigests() {
		return this.clients.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (client) -> client.getValue().keySha256()));
	}

	/**
	 * One internal caller.
	 *
	 * @param keySha256 hex SHA-256 of the caller's API key (the key itself is never
	 * stored); several, comma-separated, while a key is being replaced
	 * @param accounts account ids this caller may read, or "*" for all
	 * @param admin whether this caller may use the management endpoints
	 * @param metrics whether this caller may read {@code /actuator/prometheus} (and
	 * nothing else of the management endpoints, unless it is an admin)
	 * @param gateway whether this caller may call Tradovate through the gateway
	 * ({@code broker.gateway.*}), on the accounts it may read
	 */
	public record Client(@NotEmpty(
			message = "must be set (the SHA-256 of the key, as new-client-key prints it)") List<@NotNull @KeyDigest.WellFormed KeyDigest> keySha256,
			@DefaultValue List<String> accounts, boolean admin, boolean metrics, boolean gateway) {

		/** The constructor the settings bind to. */
		@ConstructorBinding
		public Client {
		}

		/** A client without the gateway's right. */
		public Client(List<KeyDigest> keySha256, List<String> accounts, boolean admin, boolean metrics) {
			this(keySha256, accounts, admin, metrics, false);
		}

	}

}
