package io.tokenbroker.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.tokenbroker.session.SessionSnapshot;
import io.tokenbroker.session.SessionState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One account's health from its snapshot.
 */
class AccountHealthTests {

	private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void upWithItsScheduleWhileATokenIsServed() {
		SessionSnapshot session = new SessionSnapshot("main", SessionState.VALID, "ab12cd34",
				NOW.plusSeconds(4800).plusMillis(900), NOW.plusSeconds(4200), null, NOW.minusSeconds(10), null, null, 0,
				null, null, null, null, null);

		Health health = new AccountHealth(() -> session, CLOCK, () -> NOW.plus(Duration.ofDays(13)).plusSeconds(60))
			.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "VALID")
			.containsEntry("expiresIn", 4800L)
			.containsEntry("expiresAt", "2026-01-15T09:20:00.900Z")
			.containsEntry("renewAt", "2026-01-15T09:10:00Z")
			.containsEntry("lastSuccessAt", "2026-01-15T07:59:50Z")
			.containsEntry("consecutiveFailures", 0)
			.containsEntry("tokenFingerprint", "ab12cd34")
			.containsEntry("passwordExpiresAt", "2026-01-28T08:01:00Z")
			.containsEntry("passwordExpiresInDays", 13L)
			.doesNotContainKeys("nextAttemptAt", "lastError", "lastErrorAt");
	}

	@Test
	void downWithTheLastErrorWhenNoTokenIsServed() {
		SessionSnapshot session = new SessionSnapshot("main", SessionState.BACKING_OFF, null, null, null,
				NOW.plusSeconds(5), null, "login failed: HTTP 503", NOW.minusSeconds(1), 2, null, null, null, null,
				null);

		Health health = new AccountHealth(() -> session, CLOCK, () -> null).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "BACKING_OFF")
			.containsEntry("expiresIn", 0L)
			.containsEntry("nextAttemptAt", "2026-01-15T08:00:05Z")
			.containsEntry("lastError", "login failed: HTTP 503")
			.containsEntry("lastErrorAt", "2026-01-15T07:59:59Z")
			.containsEntry("consecutiveFailures", 2)
			.doesNotContainKeys("expiresAt", "tokenFingerprint", "passwordExpiresAt", "passwordExpiresInDays");
	}

}
