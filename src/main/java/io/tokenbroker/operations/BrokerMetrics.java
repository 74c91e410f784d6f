package io.tokenbroker.operations;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.session.UpstreamBudget;

/**
 * Gauges read when scraped: seconds left on each account's token, whether each account
 * waits out a cool-down or penalty, and how much of the hourly upstream budget is used.
 */
final class BrokerMetrics implements MeterBinder {

	private final AccountSessions sessions;

	private final UpstreamBudget budget;

	private final Clock clock;

	BrokerMetrics(AccountSessions sessions, UpstreamBudget budget, Clock clock) {
		this.sessions = sessions;
		this.budget = budget;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (AccountSession session : this.sessions.all()) {
			Gauge
				.builder("broker.token.seconds.left", session,
						(account) -> SessionReadings.secondsLeft(account.snapshot(), this.clock.instant()))
				.description("Seconds before the token served for the account expires; 0 when none is served")
				.tag("account", session.id())
				.strongReference(true)
				.register(registry);
			Gauge
				.builder("broker.cool.down.active", session,
						(account) -> SessionReadings.coolingDown(account.snapshot(), this.clock.instant()) ? 1 : 0)
				.description("1 while the account waits out a cool-down or a penalty wait imposed by Tradovate, else 0")
				.tag("account", session.id())
				.strongReference(true)
				.register(registry);
		}
		bindBudget(registry, "failed_logins", this.budget.failedLogins());
		bindBudget(registry, "renewals", this.budget.renewals());
		bindBudget(registry, "failed_checks", this.budget.failedChecks());
	}

	private void bindBudget(MeterRegistry registry, String kind, HourlyLedger hourly) {
		Gauge.builder("broker.upstream.budget.used", hourly, (limit) -> limit.used(this.clock.instant()))
			.description("Calls to Tradovate counted against its hourly limit in the last rolling hour")
			.tag("kind", kind)
			.strongReference(true)
			.register(registry);
		Gauge.builder("broker.upstream.budget.limit", hourly, HourlyLedger::limit)
			.description("Calls to Tradovate allowed in any rolling hour")
			.tag("kind", kind)
			.strongReference(true)
			.register(registry);
	}

}
