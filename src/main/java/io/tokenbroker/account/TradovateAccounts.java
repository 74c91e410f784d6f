package io.tokenbroker.account;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The configured Tradovate accounts, by id, and the one {@code GET /token} serves. A
 * reload of the settings may replace their credentials and the default account, never the
 * set of accounts (see {@link #withCredentialsOf}).
 */
@Component
@PartOf(Feature.BROKER)
public class TradovateAccounts {

	private static final Logger log = LoggerFactory.getLogger(TradovateAccounts.class);

	/**
	 * Replaced whole by a reload: readers see the old accounts or the new, never a mix.
	 */
	private volatile Snapshot current;

	@Autowired
	public TradovateAccounts(AccountsProperties properties) {
		this(properties, true);
	}

	private TradovateAccounts(AccountsProperties properties, boolean announce) {
		Map<String, TradovateAccount> accounts = new LinkedHashMap<>();
		new TreeMap<>(properties.accounts())
			.forEach((id, settings) -> accounts.put(id, account(id, settings, announce)));
		this.current = new Snapshot(Collections.unmodifiableMap(accounts), properties.resolvedDefaultAccount());
	}

	/**
	 * The accounts of reloaded settings, to compare and take: what start-up said of them
	 * (a derived device id, a missing environment) is not said again.
	 */
	public static TradovateAccounts reloaded(AccountsProperties properties) {
		return new TradovateAccounts(properties, false);
	}

	/**
	 * Takes the credentials and the default account of reloaded settings, checked first
	 * with {@link #changesNeedingARestart}.
	 */
	public void withCredentialsOf(TradovateAccounts reloaded) {
		this.current = reloaded.current;
	}

	/**
	 * What differs in reloaded settings that a running broker cannot take: an account
	 * added or removed, or one's user, environment or base URL changed (its session and
	 * stored token belong to them). Each names the setting; empty when none.
	 */
	public List<String> changesNeedingARestart(TradovateAccounts reloaded) {
		Map<String, TradovateAccount> running = this.current.byId();
		Map<String, TradovateAccount> next = reloaded.current.byId();
		List<String> changes = new ArrayList<>();
		next.keySet()
			.stream()
			.filter((id) -> !running.containsKey(id))
			.forEach((id) -> changes.add("broker.accounts." + id + " was added"));
		running.keySet()
			.stream()
			.filter((id) -> !next.containsKey(id))
			.forEach((id) -> changes.add("broker.accounts." + id + " was removed"));
		running.forEach((id, account) -> {
			TradovateAccount other = next.get(id);
			if (other != null && !other.baseUrl().equals(account.baseUrl())) {
				changes.add("broker.accounts." + id + ".environment or base-url changed");
			}
			if (other != null && !other.credentials().username().equals(account.credentials().username())) {
				changes.add("broker.accounts." + id + ".username changed");
			}
		});
		return changes;
	}

	/** Accounts whose credentials differ in reloaded settings, as reloaded. */
	public List<TradovateAccount> withOtherCredentials(TradovateAccounts reloaded) {
		Map<String, TradovateAccount> running = this.current.byId();
		return reloaded.all()
			.stream()
			.filter((account) -> running.containsKey(account.id())
					&& !running.get(account.id()).credentials().equals(account.credentials()))
			.toList();
	}

	private static TradovateAccount account(String id, AccountsProperties.Account settings, boolean announce) {
		String deviceId = settings.deviceId();
		if (deviceId == null || deviceId.isBlank()) {
			deviceId = derivedDeviceId(id, settings);
		}
		if (announce && (settings.deviceId() == null || settings.deviceId().isBlank())) {
			log.info("Account {}: no device-id configured, using {} derived from the account (stable across restarts)",
					id, deviceId);
		}
		Credentials credentials = new Credentials(settings.username(), settings.password(), settings.appId(),
				settings.appVersion(), settings.cid(), settings.secret(), deviceId);
		if (announce && settings.environment() == null && settings.baseUrl() == null) {
			log.warn("Account {}: broker.accounts.{}.environment is not set, so its tokens come from Tradovate's demo "
					+ "environment; set it to demo or live to say which", id, id);
		}
		var baseUrl = (settings.baseUrl() != null) ? settings.baseUrl() : settings.resolvedEnvironment().baseUrl();
		return new TradovateAccount(id, baseUrl, credentials);
	}

	// Tradovate refuses live trading from changing device ids: derive one that never
	// changes for the same account instead of a random one per start.
	private static String derivedDeviceId(String id, AccountsProperties.Account settings) {
		String seed = "tradovate-token-broker:" + id + ":" + settings.username() + ":" + settings.cid();
		return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
	}

	public Optional<TradovateAccount> find(String id) {
		return Optional.ofNullable(this.current.byId().get(id));
	}

	/** The account {@code GET /token} serves, if one is configured or implied. */
	public Optional<String> defaultAccount() {
		return Optional.ofNullable(this.current.defaultAccount());
	}

	public Collection<TradovateAccount> all() {
		return this.current.byId().values();
	}

	private record Snapshot(Map<String, TradovateAccount> byId, String defaultAccount) {
	}

}
