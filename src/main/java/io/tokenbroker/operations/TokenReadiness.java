package io.tokenbroker.operations;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.tokenbroker.operations.ReadinessProperties.Require;
import io.tokenbroker.session.SessionSnapshot;

/**
 * The readiness probe's view of the broker: DOWN until it could first serve a token
 * ({@code any} account or {@code all} of them, per {@code broker.readiness.require}),
 * then OUT_OF_SERVICE whenever callers would get 503, UP otherwise. Liveness never reads
 * this: Tradovate's trouble is no reason to restart the broker.
 */
final class TokenReadiness implements HealthIndicator {

	private final Supplier<? extends Collection<SessionSnapshot>> sessions;

	private final Require require;

	TokenReadiness(Supplier<? extends Collection<SessionSnapshot>> sessions, Require require) {
		this.sessions = sessions;
		this.require = require;
	}

	@Override
	public Health health() {
		Collection<SessionSnapshot> all = this.sessions.get();
		List<String> serving = all.stream()
			.filter(SessionReadings::serving)
			.map(SessionSnapshot::account)
			.sorted()
			.toList();
		List<String> notServing = all.stream()
			.filter((session) -> !SessionReadings.serving(session))
			.map(SessionSnapshot::account)
			.sorted()
			.toList();
		boolean servesNow = (this.require == Require.ANY) ? !serving.isEmpty() : notServing.isEmpty();
		boolean servedOnce = (this.require == Require.ANY)
				? all.stream().anyMatch((session) -> session.lastSuccessAt() != null)
				: all.stream().allMatch((session) -> session.lastSuccessAt() != null);
		Status status = servesNow ? Status.UP : (servedOnce ? Status.OUT_OF_SERVICE : Status.DOWN);
		return Health.status(status)
			.withDetail("require", this.require.name().toLowerCase(Locale.ROOT))
			.withDetail("serving", serving)
			.withDetail("notServing", notServing)
			.build();
	}

}
