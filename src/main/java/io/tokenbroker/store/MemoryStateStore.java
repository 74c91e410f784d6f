package io.tokenbroker.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps nothing beyond the process: for tests and throwaway runs such as the demo. One
 * replica, which always holds every lease. {@link FileStateStore} adds the files.
 */
public class MemoryStateStore implements StateStore {

	private final Map<String, StoredEntry> entries = new ConcurrentHashMap<>();

	private final Map<String, HourlyLedger> ledgers = new ConcurrentHashMap<>();

	private final String replica;

	public MemoryStateStore(String replica) {
		this.replica = replica;
	}

	@Override
	public String describe() {
		return "memory (nothing outlives the process)";
	}

	@Override
	public String replica() {
		return this.replica;
	}

	@Override
	public boolean shared() {
		return false;
	}

	@Override
	public StoredEntry read(String account) {
		return this.entries.get(account);
	}

	@Override
	public Map<String, StoredEntry> readAll(Collection<String> accounts) {
		Map<String, StoredEntry> found = new HashMap<>();
		accounts.forEach((account) -> {
			StoredEntry entry = this.entries.get(account);
			if (entry != null) {
				found.put(account, entry);
			}
		});
		return found;
	}

	@Override
	public synchronized WriteOutcome write(String account, long fence, long expectedRevision, StoredEntry entry) {
		StoredEntry stored = this.entries.get(account);
		if (((stored != null) ? stored.revision() : 0) != expectedRevision) {
			return WriteOutcome.CONFLICT;
		}
		stored(account, entry);
		this.entries.put(account, entry);
		return WriteOutcome.WRITTEN;
	}

	@Override
	public synchronized boolean offer(String account, StoredEntry entry) {
		StoredEntry stored = this.entries.get(account);
		if (stored != null && stored.revision() >= entry.revision()) {
			return false;
		}
		stored(account, entry);
		this.entries.put(account, entry);
		return true;
	}

	/** Called under the store's lock before a record changes; may refuse by throwing. */
	void stored(String account, StoredEntry entry) {
	}

	/** Every record held, by account id: what {@link CopyStoreToRedis} copies. */
	Map<String, StoredEntry> records() {
		return Map.copyOf(this.entries);
	}

	/**
	 * Forgets every record and every counted call, as a store just created: for tests
	 * that keep one broker across tests. Package-private: nothing a caller reaches calls
	 * it.
	 */
	void reset() {
		this.entries.clear();
		this.ledgers.values().forEach((ledger) -> ((RollingHour) ledger).replace(List.of()));
	}

	/** Puts a record found at start. */
	void restore(String account, StoredEntry entry) {
		this.entries.put(account, entry);
	}

	@Override
	public HourlyLedger ledger(String name, int limit) {
		return this.ledgers.computeIfAbsent(name, (key) -> newLedger(name, limit));
	}

	/** A new ledger of this store. */
	HourlyLedger newLedger(String name, int limit) {
		return new RollingHour(limit);
	}

	@Override
	public Map<String, Lease> keepLeases(List<LeaseClaim> claims) {
		return soleHolder(this.replica, claims);
	}

	@Override
	public void releaseLeases(Collection<String> accounts) {
	}

	@Override
	public void publish(String message) {
	}

	@Override
	public void subscribe(Consumer<String> changed, Consumer<String> messages) {
	}

	@Override
	public void check() {
	}

	/** Every lease, held by the one replica of an unshared store. */
	static Map<String, Lease> soleHolder(String replica, List<LeaseClaim> claims) {
		Map<String, Lease> leases = new HashMap<>();
		claims.forEach((claim) -> leases.put(claim.account(), new Lease(claim.account(), replica, 1)));
		return leases;
	}

}
