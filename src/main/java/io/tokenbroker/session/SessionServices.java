package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.tokenbroker.store.AccountRecords;
import io.tokenbroker.store.StoreKeys;
import io.tokenbroker.tradovate.TradovateAuth;

/**
 * What every account's session shares.
 *
 * @param tradovate Tradovate's auth API
 * @param tokens this replica's tokens, read by the hot path
 * @param store where records outlive the process
 * @param keys the store keys that seal tokens
 * @param budget Tradovate's hourly limits
 * @param policy when to renew, how long to wait after a failure
 * @param reservedForSchedule renewals per hour callers may not use
 * @param clock every time decision reads it
 * @param events what operators hear of
 * @param executor where Tradovate's answers are handled (store writes may block)
 * @param peers the other replicas of a fleet
 * @param timing the lifecycle's intervals
 * @param wake asks the schedule to look at every account at once (a login answered,
 * others may wait for its place in Tradovate's allowance)
 */
record SessionServices(TradovateAuth tradovate, TokenCache tokens, AccountRecords store, StoreKeys keys,
		UpstreamBudget budget, RenewalPolicy policy, int reservedForSchedule, Clock clock, SessionEvents events,
		Executor executor, Peers peers, Timing timing, Runnable wake) {

	/**
	 * The lifecycle's intervals.
	 *
	 * @param answerWithin a call to Tradovate answers within this (its timeout and a
	 * margin), else it counts as failed
	 * @param forcedRenewalInterval at most one caller-forced renewal per account in this
	 * long
	 * @param checkInterval how often each session is checked open; zero for never
	 * @param recheckAfter a reported token found open this recently is not checked again
	 */
	record Timing(Duration answerWithin, Duration forcedRenewalInterval, Duration checkInterval,
			Duration recheckAfter) {
	}

}
