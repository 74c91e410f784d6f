package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SocketRegistry} and {@link Holds} must do, as two replicas see them
 * (for a local one, both are the same instance): a ceiling no replica passes, sockets
 * that stop counting when let go or no longer kept, and holds that keep their later end.
 */
abstract class SocketRegistryContract {

	static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	static final Duration TTL = Duration.ofSeconds(30);

	/** The registry as one replica sees it. */
	abstract SocketRegistry registry(int replica);

	/** The holds as one replica sees them. */
	abstract Holds holds(int replica);

	@Test
	void theCeilingHoldsAcrossReplicasAndAClosedSocketFreesItsPlace() {
		assertThat(registry(0).tryOpen("main", "s1", 2, NOW, TTL)).isTrue();
		assertThat(registry(1).tryOpen("main", "s2", 2, NOW, TTL)).isTrue();
		assertThat(registry(0).tryOpen("main", "s3", 2, NOW, TTL)).isFalse();
		assertThat(registry(1).tryOpen("other", "s4", 2, NOW, TTL)).isTrue();
		assertThat(registry(1).count("main", NOW)).isEqualTo(2);

		registry(1).release("main", "s2");

		assertThat(registry(0).tryOpen("main", "s3", 2, NOW, TTL)).isTrue();
		assertThat(registry(0).count("main", NOW)).isEqualTo(2);
	}

	@Test
	void aSocketNoLongerKeptStopsCountingAfterItsTimeToLive() {
		registry(0).tryOpen("main", "kept", 5, NOW, TTL);
		registry(1).tryOpen("main", "forgotten", 5, NOW, TTL);

		SocketRegistry.Kept kept = registry(0).keep("main", List.of("kept"), NOW.plusSeconds(20), TTL);

		assertThat(kept.live()).isEqualTo(2);
		assertThat(kept.gone()).isEmpty();
		assertThat(registry(1).count("main", NOW.plusSeconds(31))).isOne();
		assertThat(registry(1).keep("main", List.of("forgotten"), NOW.plusSeconds(31), TTL).gone())
			.containsExactly("forgotten");
	}

	@Test
	void releasingAllTellsEveryReplicaItsSocketsAreGone() {
		registry(0).tryOpen("main", "a1", 5, NOW, TTL);
		registry(1).tryOpen("main", "b1", 5, NOW, TTL);

		registry(0).releaseAll("main");
		registry(1).tryOpen("main", "b2", 5, NOW, TTL);

		SocketRegistry.Kept kept = registry(1).keep("main", List.of("b1", "b2"), NOW, TTL);
		assertThat(kept.gone()).isEqualTo(Set.of("b1"));
		assertThat(kept.live()).isOne();
	}

	@Test
	void aHoldKeepsItsLaterEndUntilItPasses() {
		holds(0).hold("endpoint", NOW.plusSeconds(10), NOW);
		holds(1).hold("endpoint", NOW.plusSeconds(5), NOW);

		assertThat(holds(1).heldUntil("endpoint", NOW)).isEqualTo(NOW.plusSeconds(10));
		assertThat(holds(0).heldUntil("endpoint", NOW.plusSeconds(10))).isNull();
		assertThat(holds(0).heldUntil("other", NOW)).isNull();
	}

}
