package io.tokenbroker.operations;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.tokenbroker.operations.ReadinessProperties.Require;
import io.tokenbroker.session.SessionSnapshot;
import io.tokenbroker.session.SessionState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness from the accounts' snapshots: down until a token could first be served, then
 * out of service whenever callers would get 503.
 */
class TokenReadinessTests {

	private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	@Test
	void downUntilAnyAccountFirstServesAToken() {
		Health health = readiness(Require.ANY, starting("main"), starting("other"));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("require", "any")
			.containsEntry("serving", List.of())
			.containsEntry("notServing", List.of("main", "other"));
	}

	@Test
	void upWhileAnyAccountServesAToken() {
		Health health = readiness(Require.ANY, serving("main"), starting("other"));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("serving", List.of("main"))
			.containsEntry("notServing", List.of("other"));
	}

	@Test
	void outOfServiceOnceNoAccountServesAnyMore() {
		assertThat(readiness(Require.ANY, lost("main"), starting("other")).getStatus())
			.isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void requiringAllStaysDownUntilEveryAccountHasServed() {
		assertThat(readiness(Require.ALL, serving("main"), starting("other")).getStatus()).isEqualTo(Status.DOWN);
		assertThat(readiness(Require.ALL, serving("main"), serving("other")).getStatus()).isEqualTo(Status.UP);
		assertThat(readiness(Require.ALL, serving("main"), lost("other")).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	private static Health readiness(Require require, SessionSnapshot... sessions) {
		return new TokenReadiness(() -> List.of(sessions), require).health();
	}

	private static SessionSnapshot starting(String account) {
		return new SessionSnapshot(account, SessionState.LOGGING_IN, null, null, null, null, null, null, null, 0, null,
				null, null, null, null);
	}

	private static SessionSnapshot serving(String account) {
		return new SessionSnapshot(account, SessionState.VALID, "ab12cd34", NOW.plusSeconds(3600),
				NOW.plusSeconds(3000), null, NOW, null, null, 0, null, null, null, null, null);
	}

	private static SessionSnapshot lost(String account) {
		return new SessionSnapshot(account, SessionState.CAPTCHA_REQUIRED, null, null, null, NOW.plusSeconds(3600),
				NOW.minusSeconds(5000), "Tradovate demands a captcha", NOW, 1, null, null, null, null, null);
	}

}
