package io.tokenbroker.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.Lease;
import io.tokenbroker.store.LeaseClaim;
import io.tokenbroker.store.RollingHour;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StoreUnavailableException;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.WriteOutcome;

/**
 * A shared store in memory with the contract of the Redis store (fenced writes, leases,
 * change notices, messages), for unit tests of a fleet: each replica gets its own view.
 * Leases run out only when the test says so; the store can be taken away and wiped.
 */
final class SharedMemoryStore {

	private final Map<String, StoredEntry> entries = new HashMap<>();

	private final Map<String, Long> fences = new HashMap<>();

	private final Map<String, String> leases = new HashMap<>();

	private final Map<String, RollingHour> ledgers = new HashMap<>();

	private final List<View> views = new ArrayList<>();

	private boolean down;

	private Runnable beforeNextAnswer;

	synchronized StateStore view(String replica) {
		View view = new View(replica);
		this.views.add(view);
		return view;
	}

	/** The holder died: its lease runs out. */
	synchronized void expireLease(String account) {
		this.leases.remove(account);
	}

	synchronized String holder(String account) {
		return this.leases.get(account);
	}

	synchronized StoredEntry entry(String account) {
		return this.entries.get(account);
	}

	/**
	 * The next read takes what the store holds, then runs {@code action} before it
	 * answers: a read whose answer arrives late, after writes it did not see.
	 */
	synchronized void answerNextReadAfter(Runnable action) {
		this.beforeNextAnswer = action;
	}

	/** Every operation fails until {@link #restore()}. */
	synchronized void takeDown() {
		this.down = true;
	}

	synchronized void restore() {
		this.down = false;
	}

	/** Loses everything, as a Redis without persistence that restarted. */
	synchronized void wipe() {
		this.entries.clear();
		this.fences.clear();
		this.leases.clear();
		this.ledgers.clear();
	}

	private synchronized void checkUp() {
		if (this.down) {
			throw new StoreUnavailableException("the shared test store is down", null);
		}
	}

	private void announce(View from, String account) {
		List<View> others;
		synchronized (this) {
			others = this.views.stream().filter((view) -> view != from).toList();
		}
		others.forEach((view) -> view.changed.forEach((listener) -> listener.accept(account)));
	}

	private final class View implements StateStore {

		private final String replica;

		private final List<Consumer<String>> changed = new ArrayList<>();

		private final List<Consumer<String>> messages = new ArrayList<>();

		View(String replica) {
			this.replica = replica;
		}

		@Override
		public String describe() {
			return "shared memory (test)";
		}

		@Override
		public String replica() {
			return this.replica;
		}

		@Override
		public boolean shared() {
			return true;
		}

		@Override
		public StoredEntry read(String account) {
			synchronized (SharedMemoryStore.this) {
				checkUp();
				return SharedMemoryStore.this.entries.get(account);
			}
		}

		@Override
		public Map<String, StoredEntry> readAll(Collection<String> accounts) {
			Map<String, StoredEntry> found = new HashMap<>();
			Runnable late;
			synchronized (SharedMemoryStore.this) {
				checkUp();
				accounts.forEach((account) -> {
					StoredEntry entry = SharedMemoryStore.this.entries.get(account);
					if (entry != null) {
						found.put(account, entry);
					}
				});
				late = SharedMemoryStore.this.beforeNextAnswer;
				SharedMemoryStore.this.beforeNextAnswer = null;
			}
			if (late != null) {
				late.run();
			}
			return found;
		}

		@Override
		public WriteOutcome write(String account, long fence, long expectedRevision, StoredEntry entry) {
			synchronized (SharedMemoryStore.this) {
				checkUp();
				if (SharedMemoryStore.this.fences.getOrDefault(account, 0L) != fence) {
					return WriteOutcome.FENCED;
				}
				StoredEntry stored = SharedMemoryStore.this.entries.get(account);
				if (((stored != null) ? stored.revision() : 0) != expectedRevision) {
					return WriteOutcome.CONFLICT;
				}
				SharedMemoryStore.this.entries.put(account, entry);
			}
			announce(this, account);
			return WriteOutcome.WRITTEN;
		}

		@Override
		public boolean offer(String account, StoredEntry entry) {
			synchronized (SharedMemoryStore.this) {
				checkUp();
				StoredEntry stored = SharedMemoryStore.this.entries.get(account);
				if (stored != null && stored.revision() >= entry.revision()) {
					return false;
				}
				SharedMemoryStore.this.entries.put(account, entry);
			}
			announce(this, account);
			return true;
		}

		@Override
		public HourlyLedger ledger(String name, int limit) {
			synchronized (SharedMemoryStore.this) {
				return SharedMemoryStore.this.ledgers.computeIfAbsent(name, (key) -> new RollingHour(limit));
			}
		}

		@Override
		public Map<String, Lease> keepLeases(List<LeaseClaim> claims) {
			synchronized (SharedMemoryStore.this) {
				checkUp();
				Map<String, Lease> result = new HashMap<>();
				for (LeaseClaim claim : claims) {
					String account = claim.account();
					long fence = SharedMemoryStore.this.fences.getOrDefault(account, 0L);
					String holder = SharedMemoryStore.this.leases.get(account);
					if (holder == null && claim.mayTake()) {
						if (fence == 0 || fence != claim.lastFence()) {
							fence++;
							SharedMemoryStore.this.fences.put(account, fence);
						}
						holder = this.replica;
						SharedMemoryStore.this.leases.put(account, holder);
					}
					result.put(account, new Lease(account, holder, fence));
				}
				return result;
			}
		}

		@Override
		public void releaseLeases(Collection<String> accounts) {
			synchronized (SharedMemoryStore.this) {
				accounts.forEach((account) -> SharedMemoryStore.this.leases.remove(account, this.replica));
			}
		}

		@Override
		public void publish(String message) {
			checkUp();
			List<View> others;
			synchronized (SharedMemoryStore.this) {
				others = SharedMemoryStore.this.views.stream().filter((view) -> view != this).toList();
			}
			others.forEach((view) -> view.messages.forEach((listener) -> listener.accept(message)));
		}

		@Override
		public void subscribe(Consumer<String> changed, Consumer<String> messages) {
			this.changed.add(changed);
			this.messages.add(messages);
		}

		@Override
		public void check() {
			checkUp();
		}

	}

}
