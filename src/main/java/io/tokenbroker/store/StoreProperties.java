package io.tokenbroker.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.tokenbroker.account.Secret;

/**
 * Where the broker keeps what must outlive the process: {@code broker.store.*}.
 *
 * @param type {@code file} (one instance, a local directory), {@code redis} (a fleet
 * sharing one Redis, connected through {@code spring.data.redis.*}) or {@code memory}
 * (nothing kept: tests, throwaway runs and the {@code sim} profile)
 * @param path directory of the file store; two brokers never share one (the second stops
 * at start, saying why). The image sets {@code /var/lib/tradovate-token-broker}, a volume
 * @param prefix prefix of every Redis key and channel the broker uses
 * @param keys AES-256 keys that seal tokens in the store, by key id (1-32 letters, digits
 * or dashes; an environment variable can give lower case letters and digits only): each
 * the Base64 of 32 random bytes ({@code openssl rand -base64 32}); several while keys are
 * rotated. Without a key tokens are not kept (a restart logs in again), while waits and
 * budgets are; Redis requires one
 * @param activeKey id of the key that seals new entries; may be left out when there is
 * exactly one key
 * @param leaseTime how long a replica's lease on an account lasts unless renewed (it is
 * renewed every third of it); another replica takes over this long after the holder died
 * @param syncInterval how often each replica reads every record from Redis, besides the
 * change notices it hears
 * @param replicaId this replica's name in leases, logs and {@code /actuator/tokens};
 * defaults to the host name and process id
 */
@ConfigurationProperties("broker.store")
@Validated
public record StoreProperties(@NotNull @DefaultValue("file") Type type, @NotNull @DefaultValue("./state") Path path,
		@NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}",
				message = "1-64 letters, digits or _ . : -") @DefaultValue("tradovate-token-broker:") String prefix,
		Map<@Pattern(regexp = KEY_ID,
				message = "key ids are 1-32 letters, digits or dashes") String, @KeyMaterial Secret> keys,
		String activeKey, @NotNull @DefaultValue("15s") Duration leaseTime,
		@NotNull @DefaultValue("10s") Duration syncInterval,
		@Pattern(regexp = "[A-Za-z0-9_.:-]{1,100}", message = "1-100 letters, digits or _ . : -") String replicaId) {

	/** What a store key id looks like. */
	public static final String KEY_ID = "[A-Za-z0-9-]{1,32}";

	public StoreProperties {
		keys = (keys != null) ? new LinkedHashMap<>(keys) : Map.of();
	}

	/** The key that seals new entries: the one named, or the only one configured. */
	public String resolvedActiveKey() {
		if (this.activeKey != null) {
			return this.activeKey;
		}
		return (this.keys.size() == 1) ? this.keys.keySet().iterator().next() : null;
	}

	@AssertTrue(message = "broker.store.active-key must name a key configured under broker.store.keys.<key-id>")
	public boolean isActiveKeyKnown() {
		return this.activeKey == null || this.keys.containsKey(this.activeKey);
	}

	@AssertTrue(
			message = "with several broker.store.keys, broker.store.active-key must say which one seals new entries")
	public boolean isActiveKeyChosen() {
		return this.keys.size() < 2 || this.activeKey != null;
	}

	@AssertTrue(
			message = "broker.store.type=redis needs a key (broker.store.keys.<key-id>): replicas share the token only sealed")
	public boolean isRedisSealed() {
		return this.type != Type.REDIS || !this.keys.isEmpty();
	}

	@AssertTrue(message = "broker.store.lease-time must be at least 2s and broker.store.sync-interval at least 100ms")
	public boolean isTimingUsable() {
		return this.leaseTime.compareTo(Duration.ofSeconds(2)) >= 0
				&& this.syncInterval.compareTo(Duration.ofMillis(100)) >= 0;
	}

	/** The configured keys, ready to seal and open. */
	public StoreKeys storeKeys() {
		Map<String, SealingKey> sealing = new LinkedHashMap<>();
		this.keys.forEach((id, value) -> {
			byte[] material = KeyMaterial.Check.decode(value);
			if (material != null) {
				sealing.put(id, new SealingKey(id, material));
			}
		});
		return new StoreKeys(sealing, resolvedActiveKey());
	}

	/** Where the state is kept. */
	public enum Type {

		/** A local directory: one instance. */
		FILE,

		/** Redis: a fleet of replicas. */
		REDIS,

		/** Nothing kept. */
		MEMORY

	}

}
