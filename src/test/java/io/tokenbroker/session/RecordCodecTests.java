package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.store.StoreKeys;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the broker trusts in a stored record is bound to its seal: the token's expiry, the
 * renewal time, the revision, the fingerprint, the waits, the account. A record altered
 * in any of them, or moved to another account, is unreadable; one without a seal (an
 * older version's, or one whose seal was removed) keeps its waits and loses its token.
 */
class RecordCodecTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	private final RecordCodec codec = new RecordCodec(TestReplica.account("pw"), TestReplica.keys("k1"));

	private final HeldToken token = new HeldToken("main", "access-3", "md-3", T0.plus(Duration.ofMinutes(80)),
			Duration.ofMinutes(80), T0, 42L, 3, "1a2b3c4d");

	private final AccountRecord record = AccountRecord.NEW
		.granted(3, this.codec.seal(this.token), T0.plus(Duration.ofMinutes(70)), T0, LoginReason.SCHEDULED)
		.failed(SessionState.BACKING_OFF, null, T0.plusSeconds(30), 1)
		.withCheckedAt(T0.plusSeconds(5));

	@Test
	void aSealedRecordReadsBackAsWritten() {
		AccountRecord read = this.codec.read(this.codec.write(this.record));

		assertThat(read).isEqualTo(this.record);
		assertThat(this.codec.open(read.token(), read.revision())).isEqualTo(this.token);
	}

	@Test
	void aRecordAlteredInAnythingTheBrokerTrustsIsUnreadable() {
		assertUnreadable((tree) -> ((ObjectNode) tree.get("token")).put("expiresAt", "2026-01-16T04:00:00Z"));
		assertUnreadable((tree) -> tree.put("renewAt", "2026-01-16T04:00:00Z"));
		assertUnreadable((tree) -> ((ObjectNode) tree.get("token")).put("fingerprint", "00000000"));
		assertUnreadable((tree) -> ((ObjectNode) tree.get("token")).put("lifetime", "PT24H"));
		assertUnreadable((tree) -> tree.put("nextAttemptAt", T0.toString()));
		assertUnreadable((tree) -> tree.put("state", "VALID"));
		assertUnreadable((tree) -> tree.put("failures", 0));
	}

	@Test
	void anOlderTokenSwappedIntoTheCurrentRecordIsUnreadable() {
		HeldToken older = new HeldToken("main", "access-2", "md-2", T0.plus(Duration.ofMinutes(60)),
				Duration.ofMinutes(80), T0.minus(Duration.ofMinutes(20)), 42L, 2, "5e6f7a8b");
		ObjectNode olderToken = json.valueToTree(this.codec.seal(older));

		assertUnreadable((tree) -> ((ObjectNode) tree.get("token")).set("secrets", olderToken.get("secrets")));
	}

	@Test
	void anOlderRevisionOfTheSameRecordIsUnreadable() {
		StoredEntry entry = this.codec.write(this.record);
		ObjectNode tree = (ObjectNode) json.readTree(entry.content());
		tree.put("revision", 2);

		assertThatExceptionOfType(UnreadableEntryException.class)
			.isThrownBy(() -> this.codec.read(new StoredEntry(2, json.writeValueAsString(tree))));
	}

	@Test
	void aRecordMovedToAnotherAccountIsUnreadable() {
		RecordCodec other = new RecordCodec(TestReplica.account("other", "pw"), TestReplica.keys("k1"));

		assertThatExceptionOfType(UnreadableEntryException.class)
			.isThrownBy(() -> other.read(this.codec.write(this.record)));
	}

	@Test
	void aRecordSealedWithAKeyNoLongerConfiguredSaysWhich() {
		RecordCodec rotated = new RecordCodec(TestReplica.account("pw"), TestReplica.keys("k2"));

		assertThatExceptionOfType(UnreadableEntryException.class)
			.isThrownBy(() -> rotated.read(this.codec.write(this.record)))
			.withMessageContaining("'k1'");
	}

	@Test
	void aRecordWithoutASealKeepsItsWaitsButNotItsToken() {
		ObjectNode tree = (ObjectNode) json.readTree(this.codec.write(this.record).content());
		tree.remove("integrity");
		((ObjectNode) tree.get("token")).put("expiresAt", "2026-01-16T04:00:00Z");

		AccountRecord read = this.codec.read(new StoredEntry(3, json.writeValueAsString(tree)));

		assertThat(read.token()).isNull();
		assertThat(read.renewAt()).isNull();
		assertThat(read.nextAttemptAt()).isEqualTo(this.record.nextAttemptAt());
		assertThat(read.failures()).isEqualTo(1);
		assertThat(read.revision()).isEqualTo(3);
	}

	@Test
	void withoutAStoreKeyRecordsCarryNoTokenAndNoSeal() {
		RecordCodec keyless = new RecordCodec(TestReplica.account("pw"), new StoreKeys(java.util.Map.of(), null));
		AccountRecord waits = AccountRecord.NEW.failed(SessionState.BACKING_OFF, null, T0.plusSeconds(60), 2);

		StoredEntry entry = keyless.write(waits);

		assertThat(entry.content()).doesNotContain("integrity");
		assertThat(keyless.read(entry)).isEqualTo(waits);
	}

	private void assertUnreadable(Consumer<ObjectNode> alteration) {
		StoredEntry entry = this.codec.write(this.record);
		ObjectNode tree = (ObjectNode) json.readTree(entry.content());
		alteration.accept(tree);

		assertThatExceptionOfType(UnreadableEntryException.class)
			.isThrownBy(() -> this.codec.read(new StoredEntry(entry.revision(), json.writeValueAsString(tree))));
	}

}
