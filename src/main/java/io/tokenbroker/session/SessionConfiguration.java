package io.tokenbroker.session;

import java.time.Clock;
import java.util.Random;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StoreKeys;
import io.tokenbroker.store.StoreProperties;
import io.tokenbroker.tradovate.TradovateAuth;
import io.tokenbroker.tradovate.UpstreamProperties;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Wires one {@link AccountSession} per configured account around the token cache, the
 * state store, the upstream budget and the renewal schedule, plus the sync with other
 * replicas when the store is shared.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class SessionConfiguration {

	@Bean
	TokenCache tokenCache(Clock clock, SessionProperties properties) {
		return new TokenCache(clock, properties.renewal().expiryMargin());
	}

	@Bean
	UpstreamBudget upstreamBudget(SessionProperties properties, StateStore store) {
		return UpstreamBudget.of(properties.limits(), store);
	}

	/** Runs the schedule, the fleet sync and the handling of Tradovate's answers. */
	@Bean
	ThreadPoolTaskScheduler brokerTaskScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(4);
		scheduler.setThreadNamePrefix("broker-");
		scheduler.setDaemon(true);
		// answers that arrive during graceful shutdown are still recorded
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

	@Bean
	AccountSessions accountSessions(TradovateAccounts accounts, TradovateAuth tradovate, TokenCache tokens,
			StateStore store, StoreKeys keys, UpstreamBudget budget, SessionProperties properties,
			UpstreamProperties upstream, StoreProperties storeProperties, Clock clock,
			ObjectProvider<SessionEvents> events, ThreadPoolTaskScheduler brokerTaskScheduler,
			ScheduleWake scheduleWake, Environment environment) {
		RenewalPolicy policy = new RenewalPolicy(properties.renewal(), properties.retry(), new Random());
		Peers peers = store.shared() ? FleetSync.peersThrough(store) : Peers.NONE;
		SessionServices.Timing timing = new SessionServices.Timing(upstream.timeout().plus(upstream.connectTimeout()),
				properties.renewal().forcedInterval(), properties.liveness().checkInterval(),
				properties.liveness().recheckAfter());
		ForcedRenewalShares forced = new ForcedRenewalShares(store, properties.renewal().forcedPerClient(),
				properties.renewal().forcedPerAccount());
		SessionServices services = new SessionServices(tradovate, tokens, store, keys, budget, forced, policy,
				properties.renewal().reservedForSchedule(), clock, SessionEvents.all(events.orderedStream().toList()),
				brokerTaskScheduler, peers, timing, scheduleWake);
		AccountSessions sessions = new AccountSessions(accounts.all(),
				(account) -> new AccountSession(account, services,
						store.shared()
								? AccountLease.shared(store.replica(), storeProperties.leaseTime(), System::nanoTime)
								: AccountLease.sole(store.replica())));
		sessions.restore(store);
		if (!Feature.SIMULATOR.isOn(environment)) {
			// Tradovate is another process: the first logins go as soon as the store
			// is read, while the rest of the context starts. The embedded simulator
			// answers once the web server runs: with it they wait for the schedule.
			brokerTaskScheduler.execute(sessions::maintainAll);
		}
		return sessions;
	}

	@Bean
	ScheduleWake scheduleWake() {
		return new ScheduleWake();
	}

	@Bean
	RenewalSchedule renewalSchedule(AccountSessions sessions, ThreadPoolTaskScheduler brokerTaskScheduler,
			SessionProperties properties, ScheduleWake scheduleWake) {
		RenewalSchedule schedule = new RenewalSchedule(sessions, brokerTaskScheduler,
				properties.renewal().checkInterval());
		scheduleWake.attach(schedule::wake);
		return schedule;
	}

	/** Replicas that share the Redis store keep their sessions in step. */
	@Configuration(proxyBeanMethods = false)
	@PartOf(Feature.REDIS_STORE)
	static class FleetConfiguration {

		@Bean
		FleetSync fleetSync(AccountSessions sessions, StateStore store, ThreadPoolTaskScheduler brokerTaskScheduler,
				StoreProperties storeProperties, ObjectProvider<SessionEvents> events) {
			return new FleetSync(sessions, store, brokerTaskScheduler, brokerTaskScheduler, storeProperties.leaseTime(),
					storeProperties.syncInterval(), SessionEvents.all(events.orderedStream().toList()));
		}

	}

}
