package io.tokenbroker.session;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tokenbroker.account.TradovateAccount;

/**
 * The lifecycle of every configured account, by account id.
 */
public class AccountSessions {

	private final Map<String, AccountSession> byId;

	public AccountSessions(Collection<TradovateAccount> accounts, Function<TradovateAccount, AccountSession> session) {
		this.byId = accounts.stream().collect(Collectors.toUnmodifiableMap(TradovateAccount::id, session));
	}

	public Optional<AccountSession> find(String account) {
		return Optional.ofNullable(this.byId.get(account));
	}

	public Collection<AccountSession> all() {
		return this.byId.values();
	}

}
