package io.tokenbroker.caller;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.KeyDigest;
import io.tokenbroker.account.Secret;
import io.tokenbroker.account.SettingsException;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * Recognizes callers by their API key. Only SHA-256 digests of the keys are held, and a
 * presented key is compared with every one of them in constant time, so neither the
 * digests nor the timing tell which client (or which prefix) came close.
 * <p>
 * When each key was last used shows in {@code broker.client.key.last.used} (by client and
 * the digest's first eight hex digits), and its first use since start-up in the audit: so
 * a rotation can tell when nobody presents the old key any more.
 * <p>
 * A reload of the settings replaces the digests at once ({@link #replaceWith}): a removed
 * client's key, or a digest no longer listed, is refused from the next request on.
 */
public class CallerKeys implements MeterBinder {

	private static final Logger audit = LoggerFactory.getLogger("io.tokenbroker.audit");

	/** A last use is recorded at most this often per key: no write on every request. */
	private static final long RESOLUTION_MILLIS = 1000;

	/** Replaced whole by a reload: each request sees the old digests or the new. */
	private volatile List<Entry> entries;

	private final Clock clock;

	/** Where the gauges are, once bound: a reload adds and removes some. */
	private volatile MeterRegistry registry;

	/** Told after each replacement. */
	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/**
	 * @throws SettingsException when two clients share a digest: the second's key would
	 * get the first's rights
	 */
	public CallerKeys(Map<String, ClientsProperties.Client> clients) {
		this(clients, Clock.systemUTC());
	}

	/**
	 * @throws SettingsException when two clients share a digest, or one lists a digest
	 * twice
	 */
	public CallerKeys(Map<String, ClientsProperties.Client> clients, Clock clock) {
		this.clock = clock;
		Map<String, String> owners = new HashMap<>();
		List<Entry> entries = new ArrayList<>();
		new TreeMap<>(clients).forEach((id, client) -> {
			Caller caller = new Caller(id, Set.copyOf(client.accounts()), client.admin(), client.metrics(),
					client.gateway());
			for (KeyDigest digest : client.keySha256()) {
				String owner = owners.putIfAbsent(digest.normalized(), id);
				if (id.equals(owner)) {
					throw new SettingsException(
							"broker.clients." + id + ".key-sha256 lists the same key digest twice: " + digest,
							"List each digest once: while a key is replaced, the old digest and the new one.", null);
				}
				if (owner != null) {
					throw new SettingsException(
							"broker.clients." + owner + ".key-sha256 and broker.clients." + id
									+ ".key-sha256 name the same key digest " + digest,
							"Give each client its own key: mint one with new-client-key for one of them.", null);
				}
				entries.add(new Entry(digest.bytes(), caller, digest.normalized().substring(0, 8)));
			}
		});
		this.entries = List.copyOf(entries);
	}

	/** The client with this id as configured now, if it still is. */
	public Optional<Caller> caller(String id) {
		return this.entries.stream().map(Entry::caller).filter((caller) -> caller.id().equals(id)).findFirst();
	}

	/** Runs {@code listener} after each {@link #replaceWith}. */
	public void onReplace(Runnable listener) {
		this.listeners.add(listener);
	}

	/** The caller whose key this is, if any. */
	public Optional<Caller> identify(String presentedKey) {
		return Optional.ofNullable(identified(presentedKey));
	}

	/** The caller whose key this is, or {@code null}: nothing made for a request. */
	Caller identified(String presentedKey) {
		byte[] digest = Secret.sha256(presentedKey);
		Entry match = null;
		for (Entry entry : this.entries) {
			// no early exit: every digest is compared, whatever matched before
			if (MessageDigest.isEqual(digest, entry.digest()) && match == null) {
				match = entry;
			}
		}
		if (match == null) {
			return null;
		}
		used(match);
		return match.caller();
	}

	private void used(Entry entry) {
		long now = this.clock.millis();
		long last = entry.lastUsed().get();
		if (now - last < RESOLUTION_MILLIS) {
			return;
		}
		if (entry.lastUsed().compareAndSet(last, now) && last == 0) {
			audit.info("client key first used client={} key_sha256={}", quoted(entry.caller().id()),
					quoted(entry.tag()));
		}
	}

	/**
	 * Takes the digests and rights of reloaded settings, built (and so checked) as
	 * {@code next}. A digest the same client keeps keeps its last use and its gauge.
	 */
	public synchronized void replaceWith(CallerKeys next) {
		Map<String, Entry> previous = new HashMap<>();
		this.entries.forEach((entry) -> previous.put(entry.key(), entry));
		List<Entry> entries = new ArrayList<>();
		List<Entry> added = new ArrayList<>();
		for (Entry entry : next.entries) {
			Entry old = previous.remove(entry.key());
			if (old == null) {
				added.add(entry);
			}
			entries.add((old != null) ? new Entry(entry.digest(), entry.caller(), entry.tag(), old.lastUsed()) : entry);
		}
		this.entries = List.copyOf(entries);
		MeterRegistry registry = this.registry;
		if (registry != null) {
			// what is left of the previous digests is gone
			previous.values().forEach((gone) -> registry.remove(gauge(gone).register(registry)));
			added.forEach((entry) -> gauge(entry).register(registry));
		}
		this.listeners.forEach(Runnable::run);
	}

	/** One gauge per configured digest: when its key was last used, 0 for not yet. */
	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.entries.forEach((entry) -> gauge(entry).register(registry));
	}

	private static TimeGauge.Builder<AtomicLong> gauge(Entry entry) {
		return TimeGauge
			.builder("broker.client.key.last.used", entry.lastUsed(), TimeUnit.MILLISECONDS, AtomicLong::doubleValue)
			.description("When each client key was last presented (Unix time), 0 when not since start-up; "
					+ "key_sha256 is the first eight hex digits of its configured digest")
			.tags("client", entry.caller().id(), "key_sha256", entry.tag());
	}

	/**
	 * Hex SHA-256 of a key, as configured in {@code broker.clients.<client>.key-sha256}.
	 */
	public static String hash(String key) {
		return HexFormat.of().formatHex(Secret.sha256(key));
	}

	/**
	 * @param tag the digest's first eight hex digits: names the key in metrics and the
	 * audit
	 * @param lastUsed when the key was last presented, in epoch milliseconds; 0 for not
	 * yet
	 */
	private record Entry(byte[] digest, Caller caller, String tag, AtomicLong lastUsed) {

		Entry(byte[] digest, Caller caller, String tag) {
			this(digest, caller, tag, new AtomicLong());
		}

		/** The same client's same digest, whatever its rights. */
		String key() {
			return this.caller.id() + ":" + HexFormat.of().formatHex(this.digest);
		}

	}

}
