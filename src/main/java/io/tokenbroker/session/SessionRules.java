package io.tokenbroker.session;

import io.tokenbroker.account.TradovateAccount;

/**
 * What the decisions about one account read besides the model and the event: the account,
 * its settings and policies, and how its record takes the store's form.
 *
 * @param account the account (its credentials go into a login's body)
 * @param form how the record and its secrets are kept in the store
 * @param policy when to renew, how long to wait after a failure
 * @param answers what an answer from Tradovate means
 * @param timing the lifecycle's intervals
 * @param reservedForSchedule renewals per hour callers may not use
 */
record SessionRules(TradovateAccount account, RecordForm form, RenewalPolicy policy, AnswerPolicy answers,
		SessionServices.Timing timing, int reservedForSchedule) {

	/** The rules of an account on this broker's services. */
	static SessionRules of(TradovateAccount account, SessionServices services) {
		return new SessionRules(account, new RecordCodec(account, services.keys()), services.policy(),
				new AnswerPolicy(), services.timing(), services.reservedForSchedule());
	}

	String id() {
		return this.account.id();
	}

}
