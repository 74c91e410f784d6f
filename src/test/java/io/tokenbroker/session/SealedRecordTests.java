package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.store.MemoryStateStore;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.testing.MutableClock;
import io.tokenbroker.tradovate.Operation;

import static io.tokenbroker.session.TestReplica.LIFETIME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart on a store someone altered: the broker serves nothing it cannot trust, and
 * does not log in on its own (the operator decides), as with any unreadable record.
 */
class SealedRecordTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private final ScriptedTradovate tradovate = new ScriptedTradovate(this.clock);

	private final MemoryStateStore store = new MemoryStateStore("replica-1");

	@Test
	void aStretchedExpiryIsNeverServedAfterARestart() {
		loggedInThenAltered((tree) -> {
			((ObjectNode) tree.get("token")).put("expiresAt", "2026-01-16T04:00:00Z");
			tree.put("renewAt", "2026-01-16T03:50:00Z");
		});

		TestReplica restarted = TestReplica.on(this.store, this.tradovate, this.clock).start();
		restarted.session.maintain();

		assertThat(restarted.tokens.get("main")).isNull();
		assertThat(restarted.session.snapshot().storeProblem()).contains("cannot be read");
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.advance(Duration.ofMinutes(75));
		restarted.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void aRecordWithoutASealCostsOneLoginAndIsSealedAgain() {
		StoredEntry entry = loggedInThenAltered((tree) -> tree.remove("integrity"));

		TestReplica upgraded = TestReplica.on(this.store, this.tradovate, this.clock).start();
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		upgraded.session.maintain();

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(2);
		assertThat(upgraded.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(upgraded.tokens.get("main").revision()).isGreaterThan(entry.revision());
		assertThat(this.store.read("main").content()).contains("\"integrity\"");
	}

	@Test
	void anOlderRecordPutBackIsRefusedAndTheNewerOneWrittenBack() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).start();
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		StoredEntry older = this.store.read("main");
		this.clock.advance(LIFETIME.minusMinutes(5));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		StoredEntry newer = this.store.read("main");
		assertThat(replica.tokens.get("main").accessToken()).isEqualTo("token-2");

		this.store.write("main", 0, newer.revision(), older);
		replica.session.adopt(this.store.read("main"), replica.session.readMark());

		assertThat(replica.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(this.store.read("main").revision()).isEqualTo(newer.revision());
		TestReplica restarted = TestReplica.on(this.store, this.tradovate, this.clock).start();
		restarted.session.maintain();
		assertThat(restarted.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(this.tradovate.calls()).hasSize(2);
	}

	/** A broker logged in and stopped, then someone altered what it stored. */
	private StoredEntry loggedInThenAltered(Consumer<ObjectNode> alteration) {
		TestReplica first = TestReplica.on(this.store, this.tradovate, this.clock).start();
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		first.session.maintain();
		StoredEntry entry = this.store.read("main");
		ObjectNode tree = (ObjectNode) json.readTree(entry.content());
		alteration.accept(tree);
		this.store.write("main", 0, entry.revision(), new StoredEntry(entry.revision(), json.writeValueAsString(tree)));
		return entry;
	}

}
