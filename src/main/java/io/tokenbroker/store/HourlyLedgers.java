package io.tokenbroker.store;

/** The store's role as the keeper of Tradovate's hourly budgets. */
public interface HourlyLedgers {

	/** The ledger of one of Tradovate's hourly limits, shared like the store. */
	HourlyLedger ledger(String name, int limit);

}
