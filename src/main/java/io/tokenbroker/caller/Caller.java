package io.tokenbroker.caller;

import java.util.Set;

/**
 * An identified internal client.
 *
 * @param id the client id from {@code broker.clients.<client>}
 * @param accounts account ids it may read; {@code "*"} stands for all
 * @param admin whether it may use the management endpoints
 * @param metrics whether it may read the Prometheus metrics
 * @param gateway whether it may call Tradovate through the gateway, on the accounts it
 * may read
 */
public record Caller(String id, Set<String> accounts, boolean admin, boolean metrics, boolean gateway) {

	public Caller {
		accounts = Set.copyOf(accounts);
	}

	/** A caller without the gateway's right. */
	public Caller(String id, Set<String> accounts, boolean admin, boolean metrics) {
		this(id, accounts, admin, metrics, false);
	}

	public boolean mayRead(String account) {
		return readsEveryAccount() || this.accounts.contains(account);
	}

	/** Whether it may read every account, and so learn which exist. */
	public boolean readsEveryAccount() {
		return this.accounts.contains(ClientsProperties.ALL_ACCOUNTS);
	}

}
