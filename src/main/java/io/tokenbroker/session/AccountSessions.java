package io.tokenbroker.session;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.store.AccountRecords;
import io.tokenbroker.store.StoreUnavailableException;
import io.tokenbroker.store.StoredEntry;

/**
 * The lifecycle of every configured account, by account id, each started from what the
 * state store holds: a broker that restarts while a stored token is valid serves it at
 * once.
 */
public class AccountSessions {

	private static final Logger log = LoggerFactory.getLogger(AccountSessions.class);

	private final Map<String, AccountSession> byId;

	public AccountSessions(Collection<TradovateAccount> accounts, Function<TradovateAccount, AccountSession> session) {
		Map<String, AccountSession> sessions = new LinkedHashMap<>();
		accounts.forEach((account) -> sessions.put(account.id(), session.apply(account)));
		this.byId = java.util.Collections.unmodifiableMap(sessions);
	}

	public Optional<AccountSession> find(String account) {
		return Optional.ofNullable(this.byId.get(account));
	}

	public Collection<AccountSession> all() {
		return this.byId.values();
	}

	List<String> ids() {
		return List.copyOf(this.byId.keySet());
	}

	/**
	 * One pass over every account: each logs in or renews when it is due. One account's
	 * bug does not stop the others.
	 * @return how many accounts wait for a place in Tradovate's allowance to log in
	 */
	int maintainAll() {
		int waiting = 0;
		for (AccountSession session : this.byId.values()) {
			try {
				session.maintain();
				waiting += session.waitingForAllowance() ? 1 : 0;
			}
			catch (RuntimeException ex) {
				log.error("Account {}: maintenance failed: {}", session.id(), ex.toString());
			}
		}
		return waiting;
	}

	/**
	 * Brings every account up to date with the store: what another replica wrote, or a
	 * token to give back to a store that lost its data.
	 * @throws StoreUnavailableException when the store cannot be read
	 */
	void adoptAll(AccountRecords store) {
		Map<String, Long> marks = new HashMap<>();
		this.byId.forEach((id, session) -> marks.put(id, session.readMark()));
		Map<String, StoredEntry> entries = store.readAll(this.byId.keySet());
		this.byId.forEach((id, session) -> session.adopt(entries.get(id), marks.get(id)));
	}

	/** At start: every account from the store, or from nothing when it cannot be read. */
	void restore(AccountRecords store) {
		try {
			adoptAll(store);
			long serving = this.byId.values()
				.stream()
				.filter((session) -> session.snapshot().expiresAt() != null)
				.count();
			log.info("Restored {} account(s) from the state store; {} with a token to serve at once", this.byId.size(),
					serving);
		}
		catch (StoreUnavailableException ex) {
			log.warn("The state store cannot be read at start ({}); the accounts start empty and catch up once it "
					+ "answers", ex.getMessage());
		}
	}

}
