package io.tokenbroker.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.HourlyLedgers;

/**
 * What callers may force of Tradovate's renewals (a {@code minValidity} the held token
 * cannot meet): each client and each account at most its share in any rolling hour, so
 * that no client scoped to one account spends what other accounts' callers and operators
 * need. Counted in the store, so that restarts and replicas share the counts; the
 * renewals kept for the schedule are never the callers' (see {@link TradovateCalls}).
 */
final class ForcedRenewalShares {

	/** Requests that name no client share one client's share. */
	static final String UNNAMED = "_";

	private final HourlyLedgers store;

	private final int perClient;

	private final int perAccount;

	private final Map<String, HourlyLedger> ledgers = new ConcurrentHashMap<>();

	/**
	 * @param perClient forced renewals per client in any rolling hour
	 * @param perAccount forced renewals per account in any rolling hour
	 */
	ForcedRenewalShares(HourlyLedgers store, int perClient, int perAccount) {
		this.store = store;
		this.perClient = perClient;
		this.perAccount = perAccount;
	}

	/** The share of a client, or of the requests that name none ({@code null}). */
	HourlyLedger client(String client) {
		String name = "forced-renewals-client-" + ((client != null) ? client : UNNAMED);
		return this.ledgers.computeIfAbsent(name, (key) -> this.store.ledger(key, this.perClient));
	}

	/** The share of an account. */
	HourlyLedger account(String account) {
		String name = "forced-renewals-account-" + account;
		return this.ledgers.computeIfAbsent(name, (key) -> this.store.ledger(key, this.perAccount));
	}

}
