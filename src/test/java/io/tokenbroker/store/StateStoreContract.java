package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What the session relies on from every {@link StateStore}, run against each of them: the
 * memory, file and Redis stores, and the shared fake the fleet's unit tests use (so that
 * a fleet test proves something about Redis). A subclass says how to open a replica's
 * view of its store; the rules for a store that replicas share run only where
 * {@link StateStore#shared()} says so, and those for one that outlives its process only
 * where {@link #reopen} can open it again.
 */
public abstract class StateStoreContract {

	protected static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	private final List<StateStore> opened = new ArrayList<>();

	/**
	 * Opens a replica's view of the store under test. For a shared store, each call with
	 * another name is another replica on the same data.
	 */
	protected abstract StateStore open(String replica);

	/**
	 * Makes the holder's lease on the account run out, as if it had died: only asked of
	 * shared stores.
	 */
	protected abstract void leaseRunsOut(String account);

	/**
	 * The store opened again after {@code closed} was closed, as a restarted process
	 * would, or {@code null} when nothing outlives the process.
	 */
	protected abstract StateStore reopen(StateStore closed);

	@AfterEach
	void closeAll() {
		this.opened.forEach(StateStore::close);
	}

	private StateStore replica(String name) {
		StateStore store = open(name);
		this.opened.add(store);
		return store;
	}

	private static long lease(StateStore store) {
		return store.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").fence();
	}

	@Test
	public void aWriteLandsOnlyFromTheRevisionItStartedFrom() {
		StateStore a = replica("a");
		long fence = lease(a);

		assertThat(a.read("main")).isNull();
		assertThat(a.write("main", fence, 0, new StoredEntry(1, "{one}"))).isEqualTo(WriteOutcome.WRITTEN);
		assertThat(a.write("main", fence, 0, new StoredEntry(2, "{two}"))).isEqualTo(WriteOutcome.CONFLICT);
		assertThat(a.read("main")).isEqualTo(new StoredEntry(1, "{one}"));
		assertThat(a.write("main", fence, 1, new StoredEntry(2, "{two}"))).isEqualTo(WriteOutcome.WRITTEN);
		assertThat(a.readAll(List.of("main", "other"))).containsOnlyKeys("main")
			.containsValue(new StoredEntry(2, "{two}"));
	}

	@Test
	public void anOfferLandsOnlyOverNothingOrAnOlderRevision() {
		StateStore a = replica("a");

		assertThat(a.offer("main", new StoredEntry(5, "{five}"))).isTrue();
		assertThat(a.offer("main", new StoredEntry(4, "{four}"))).isFalse();
		assertThat(a.offer("main", new StoredEntry(5, "{other five}"))).isFalse();
		assertThat(a.offer("main", new StoredEntry(6, "{six}"))).isTrue();
		assertThat(a.read("main")).isEqualTo(new StoredEntry(6, "{six}"));
	}

	@Test
	public void aReplicaThatMayTakeALeaseHoldsItUnderOneFence() {
		StateStore a = replica("a");

		Lease first = a.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		Lease kept = a.keepLeases(List.of(new LeaseClaim("main", true, first.fence()))).get("main");

		assertThat(first.holder()).isEqualTo(a.replica());
		assertThat(first.fence()).isPositive();
		assertThat(kept).isEqualTo(first);
	}

	@Test
	public void aLedgerCountsCallsInTheRollingHourAndKeepsAReserve() {
		HourlyLedger ledger = replica("a").ledger("renewals", 3);

		HourlyLedger.Permit first = ledger.tryAcquire(NOW, 0);
		HourlyLedger.Permit pending = ledger.tryAcquirePending(NOW.plusSeconds(10), NOW.plusSeconds(12));
		assertThat(first).isNotNull();
		assertThat(pending).isNotNull();
		assertThat(ledger.used(NOW.plusSeconds(11))).isEqualTo(2);
		assertThat(ledger.pending(NOW.plusSeconds(11))).isEqualTo(1);
		// one place left, kept as the reserve
		assertThat(ledger.tryAcquire(NOW.plusSeconds(11), 1)).isNull();
		assertThat(ledger.nextFreeAt(NOW.plusSeconds(11), 1)).isEqualTo(NOW.plusSeconds(12));

		ledger.settle(pending, false);
		ledger.refund(first);

		assertThat(ledger.used(NOW.plusSeconds(20))).isZero();
		assertThat(ledger.limit()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(ledger.tryAcquire(NOW.plusSeconds(30 + i), 0)).isNotNull();
		}
		assertThat(ledger.tryAcquire(NOW.plusSeconds(40), 0)).isNull();
		assertThat(ledger.nextFreeAt(NOW.plusSeconds(40), 0)).isEqualTo(NOW.plusSeconds(30).plus(HourlyLedger.WINDOW));
		assertThat(ledger.used(NOW.plusSeconds(32).plus(HourlyLedger.WINDOW))).isZero();
	}

	@Test
	public void aSettledCallStaysCounted() {
		HourlyLedger ledger = replica("a").ledger("failed-logins", 2);
		HourlyLedger.Permit login = ledger.tryAcquirePending(NOW, NOW.plusSeconds(5));

		ledger.settle(login, true);

		assertThat(ledger.used(NOW.plusSeconds(10))).isEqualTo(1);
		assertThat(ledger.pending(NOW.plusSeconds(1))).isZero();
	}

	@Test
	public void aStoreThatAnswersPassesItsCheckAndDescribesItselfWithoutASecret() {
		StateStore a = replica("a");

		a.check();

		assertThat(a.describe()).isNotBlank().doesNotContain(secretsOfTheStore());
		assertThat(a.replica()).isEqualTo("a");
	}

	/** Words that must never appear in the store's description: its password, say. */
	protected String[] secretsOfTheStore() {
		return new String[] { "password" };
	}

	// A store that outlives its process

	@Test
	public void recordsAndLedgersOutliveTheProcess() {
		StateStore first = replica("a");
		first.write("main", lease(first), 0, new StoredEntry(3, "{three}"));
		first.ledger("renewals", 15).tryAcquire(NOW, 0);
		first.close();
		this.opened.remove(first);

		StateStore again = reopen(first);
		assumeThat(again).as("this store keeps nothing beyond its process").isNotNull();
		this.opened.add(again);

		assertThat(again.read("main")).isEqualTo(new StoredEntry(3, "{three}"));
		assertThat(again.ledger("renewals", 15).used(NOW.plusSeconds(1))).isEqualTo(1);
	}

	// A store that replicas share

	@Test
	public void anUnsharedStoreGivesEveryLeaseToItsOneReplicaAndCarriesNoMessage() {
		StateStore a = replica("a");
		assumeThat(a.shared()).as("a shared store").isFalse();
		List<String> heard = new CopyOnWriteArrayList<>();
		a.subscribe(heard::add, heard::add);

		assertThat(a.keepLeases(List.of(new LeaseClaim("main", false, 0))).get("main").holder()).isEqualTo(a.replica());
		a.publish("ping");
		a.write("main", 1, 0, new StoredEntry(1, "{one}"));

		assertThat(heard).isEmpty();
	}

	@Test
	public void aLeaseIsHeldByOneReplicaAndChangesHandsWithAHigherFenceOnlyOnceItRunsOut() {
		StateStore a = shared("a");
		StateStore b = replica("b");

		Lease first = a.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		Lease refused = b.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		assertThat(first.holder()).isEqualTo("a");
		assertThat(refused).isEqualTo(first);
		leaseRunsOut("main");

		Lease taken = b.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");

		assertThat(taken.holder()).isEqualTo("b");
		assertThat(taken.fence()).isGreaterThan(first.fence());
		assertThat(a.write("main", first.fence(), 0, new StoredEntry(1, "{late}"))).isEqualTo(WriteOutcome.FENCED);
		assertThat(b.write("main", taken.fence(), 0, new StoredEntry(1, "{b}"))).isEqualTo(WriteOutcome.WRITTEN);
		assertThat(a.keepLeases(List.of(new LeaseClaim("main", true, first.fence()))).get("main").holder())
			.isEqualTo("b");
		assertThat(a.read("main")).isEqualTo(new StoredEntry(1, "{b}"));
	}

	@Test
	public void aHolderResumesItsOwnLeaseWithTheSameFenceWhenNobodyTookItMeanwhile() {
		StateStore a = shared("a");
		Lease first = a.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main");
		a.releaseLeases(List.of("main"));

		Lease resumed = a.keepLeases(List.of(new LeaseClaim("main", true, first.fence()))).get("main");

		assertThat(resumed).isEqualTo(first);
	}

	@Test
	public void aReplicaThatMayNotTakeALeaseLeavesItFreeAndReleasingGivesItToTheNext() {
		StateStore a = shared("a");
		StateStore b = replica("b");
		assertThat(a.keepLeases(List.of(new LeaseClaim("main", false, 0))).get("main").holder()).isNull();
		lease(a);
		b.releaseLeases(List.of("main"));
		assertThat(b.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").holder()).isEqualTo("a");

		a.releaseLeases(List.of("main"));

		assertThat(b.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").holder()).isEqualTo("b");
	}

	@Test
	public void oneHourlyLedgerCountsForTheWholeFleet() {
		HourlyLedger ofA = shared("a").ledger("renewals", 3);
		HourlyLedger ofB = replica("b").ledger("renewals", 3);

		assertThat(ofA.tryAcquire(NOW, 0)).isNotNull();
		HourlyLedger.Permit second = ofB.tryAcquire(NOW.plusSeconds(10), 0);
		assertThat(second).isNotNull();
		assertThat(ofA.tryAcquire(NOW.plusSeconds(20), 1)).isNull();
		assertThat(ofB.nextFreeAt(NOW.plusSeconds(20), 1)).isEqualTo(NOW.plus(Duration.ofHours(1)));
		ofB.refund(second);
		assertThat(ofA.used(NOW.plusSeconds(30))).isEqualTo(1);
	}

	@Test
	public void otherReplicasHearOfEveryWriteAndMessageButNotOfTheirOwn() {
		StateStore a = shared("a");
		StateStore b = replica("b");
		List<String> changed = new CopyOnWriteArrayList<>();
		List<String> messages = new CopyOnWriteArrayList<>();
		b.subscribe(changed::add, messages::add);
		a.subscribe((account) -> changed.add("a heard " + account), (text) -> messages.add("a: " + text));
		long fence = lease(a);
		// a subscription may take a moment to be in place
		await().until(() -> {
			a.publish("ping");
			return messages.contains("ping");
		});

		a.write("main", fence, 0, new StoredEntry(1, "{one}"));
		a.offer("other", new StoredEntry(1, "{other}"));
		a.publish("{\"kind\":\"renew\"}");

		await().until(() -> changed.containsAll(List.of("main", "other")) && messages.contains("{\"kind\":\"renew\"}"));
		assertThat(changed).noneMatch((line) -> line.startsWith("a heard"));
		assertThat(messages).noneMatch((line) -> line.startsWith("a: "));
	}

	/** A replica of a shared store: skips the test for an unshared one. */
	private StateStore shared(String name) {
		StateStore store = replica(name);
		assumeThat(store.shared()).as("a shared store").isTrue();
		return store;
	}

}
