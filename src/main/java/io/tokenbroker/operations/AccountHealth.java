package io.tokenbroker.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.tokenbroker.session.SessionSnapshot;

/**
 * One account's health: UP while the broker holds a token it still serves, DOWN
 * otherwise, with the lifecycle's state and schedule as details. Never a token or a
 * secret: the fingerprint is a short hash.
 */
final class AccountHealth implements HealthIndicator {

	private final Supplier<SessionSnapshot> snapshot;

	private final Clock clock;

	private final Supplier<Instant> passwordExpiresAt;

	AccountHealth(Supplier<SessionSnapshot> snapshot, Clock clock, Supplier<Instant> passwordExpiresAt) {
		this.snapshot = snapshot;
		this.clock = clock;
		this.passwordExpiresAt = passwordExpiresAt;
	}

	@Override
	public Health health() {
		SessionSnapshot session = this.snapshot.get();
		// the token store drops a token once it is no longer safe to serve
		Health.Builder health = (session.expiresAt() != null) ? Health.up() : Health.down();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", session.state().name());
		details.put("expiresIn", SessionReadings.secondsLeft(session, this.clock.instant()));
		putIfKnown(details, "expiresAt", session.expiresAt());
		putIfKnown(details, "renewAt", session.renewAt());
		putIfKnown(details, "nextAttemptAt", session.nextAttemptAt());
		putIfKnown(details, "lastSuccessAt", session.lastSuccessAt());
		putIfKnown(details, "lastError", session.lastError());
		putIfKnown(details, "lastErrorAt", session.lastErrorAt());
		details.put("consecutiveFailures", session.consecutiveFailures());
		putIfKnown(details, "tokenFingerprint", session.tokenFingerprint());
		putIfKnown(details, "leaseHolder", session.leaseHolder());
		putIfKnown(details, "sealedWith", session.sealedWith());
		putIfKnown(details, "storeProblem", session.storeProblem());
		putIfKnown(details, "sessionCheckedAt", session.sessionCheckedAt());
		putIfKnown(details, "lastLoginReason", session.lastLoginReason());
		Instant passwordExpires = this.passwordExpiresAt.get();
		if (passwordExpires != null) {
			putIfKnown(details, "passwordExpiresAt", passwordExpires);
			details.put("passwordExpiresInDays", Duration.between(this.clock.instant(), passwordExpires).toDays());
		}
		return health.withDetails(details).build();
	}

	private static void putIfKnown(Map<String, Object> details, String name, Object value) {
		if (value != null) {
			details.put(name, (value instanceof Instant instant) ? instant.toString() : value);
		}
	}

}
