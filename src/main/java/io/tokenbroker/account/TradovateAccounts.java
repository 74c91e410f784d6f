package io.tokenbroker.account;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The configured Tradovate accounts, by id, and the one {@code GET /token} serves.
 */
@Component
@PartOf(Feature.BROKER)
public class TradovateAccounts {

	private static final Logger log = LoggerFactory.getLogger(TradovateAccounts.class);

	private final Map<String, TradovateAccount> byId;

	private final String defaultAccount;

	public TradovateAccounts(BrokerProperties properties) {
		Map<String, TradovateAccount> accounts = new LinkedHashMap<>();
		new TreeMap<>(properties.accounts()).forEach((id, settings) -> accounts.put(id, account(id, settings)));
		this.byId = Collections.unmodifiableMap(accounts);
		this.defaultAccount = properties.resolvedDefaultAccount();
	}

	private static TradovateAccount account(String id, BrokerProperties.AccountProperties settings) {
		String deviceId = settings.deviceId();
		if (deviceId == null || deviceId.isBlank()) {
			deviceId = derivedDeviceId(id, settings);
			log.info("Account {}: no device-id configured, using {} derived from the account (stable across restarts)",
					id, deviceId);
		}
		Credentials credentials = new Credentials(settings.username(), settings.password(), settings.appId(),
				settings.appVersion(), settings.cid(), settings.secret(), deviceId);
		if (settings.environment() == null && settings.baseUrl() == null) {
			log.warn("Account {}: broker.accounts.{}.environment is not set, so its tokens come from Tradovate's demo "
					+ "environment; set it to demo or live to say which", id, id);
		}
		var baseUrl = (settings.baseUrl() != null) ? settings.baseUrl() : settings.resolvedEnvironment().baseUrl();
		return new TradovateAccount(id, baseUrl, credentials);
	}

	// Tradovate refuses live trading from changing device ids: derive one that never
	// changes for the same account instead of a random one per start.
	private static String derivedDeviceId(String id, BrokerProperties.AccountProperties settings) {
		String seed = "tradovate-token-broker:" + id + ":" + settings.username() + ":" + settings.cid();
		return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
	}

	public Optional<TradovateAccount> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	/** The account {@code GET /token} serves, if one is configured or implied. */
	public Optional<String> defaultAccount() {
		return Optional.ofNullable(this.defaultAccount);
	}

	public Collection<TradovateAccount> all() {
		return this.byId.values();
	}

}
