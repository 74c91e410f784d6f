package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCacheTests {

	private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	private final MutableClock clock = new MutableClock(T0);

	private final TokenCache store = new TokenCache(this.clock, Duration.ofSeconds(5));

	private static HeldToken token(long revision, Instant expiresAt) {
		return new HeldToken("main", "A" + revision, null, expiresAt, Duration.ofMinutes(80), T0, null, revision,
				"fp" + revision);
	}

	@Test
	void aTokenIsServedUntilTheMarginBeforeItsExpiry() {
		this.store.put(token(1, T0.plusSeconds(60)));

		this.clock.advance(Duration.ofSeconds(54));
		assertThat(this.store.get("main")).isNotNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.store.get("main")).isNull();
	}

	@Test
	void aRenewalReplacesOnlyTheRevisionItStartedFrom() {
		HeldToken first = token(1, T0.plusSeconds(60));
		HeldToken newer = token(2, T0.plusSeconds(120));
		this.store.put(first);
		this.store.put(newer);

		assertThat(this.store.replace(first, token(3, T0.plusSeconds(180)))).isFalse();
		assertThat(this.store.get("main")).isEqualTo(newer);
		assertThat(this.store.replace(newer, token(3, T0.plusSeconds(180)))).isTrue();
		assertThat(this.store.get("main").revision()).isEqualTo(3);
	}

	@Test
	void aRenewalThatOutlivedItsTokenIsStillStored() {
		HeldToken first = token(1, T0.plusSeconds(10));
		this.store.put(first);
		this.clock.advance(Duration.ofSeconds(30));

		assertThat(this.store.replace(first, token(2, T0.plusSeconds(600)))).isTrue();
		assertThat(this.store.get("main").revision()).isEqualTo(2);
	}

	@Test
	void invalidatingAnOldTokenKeepsANewerOne() {
		HeldToken first = token(1, T0.plusSeconds(60));
		HeldToken newer = token(2, T0.plusSeconds(120));
		this.store.put(newer);

		this.store.invalidate(first);

		assertThat(this.store.get("main")).isEqualTo(newer);
	}

	@Test
	void aFailingListenerLosesNoToken() {
		this.store.onChange((account) -> {
			throw new IllegalStateException("stopped");
		});
		HeldToken first = token(1, T0.plusSeconds(60));
		HeldToken renewed = token(2, T0.plusSeconds(120));

		this.store.put(first);
		assertThat(this.store.replace(first, renewed)).isTrue();

		assertThat(this.store.get("main")).isEqualTo(renewed);
	}

}
