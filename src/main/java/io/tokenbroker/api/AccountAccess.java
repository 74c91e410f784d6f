package io.tokenbroker.api;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;

/**
 * Which account a request for a token names, and whether its caller may read it: the one
 * rule behind {@code /token}, {@code /token/refused} and {@code /token/events}.
 */
@Component
@ConditionalOnBooleanProperty(name = "broker.enabled", matchIfMissing = true)
public class AccountAccess {

	private final TradovateAccounts accounts;

	private final AccountSessions sessions;

	AccountAccess(TradovateAccounts accounts, AccountSessions sessions) {
		this.accounts = accounts;
		this.sessions = sessions;
	}

	/**
	 * The session of the account a request names (or of the default one), if this caller
	 * may read it; the account is noted on the request for the audit.
	 * @param account the account id of the path, or {@code null} for the default one
	 * @throws UnknownAccountException (404) when no such account exists and the caller
	 * may read every account
	 * @throws AccountNotAllowedException (403) when the caller may not read it; also when
	 * it does not exist and the caller may not read every account, so that only callers
	 * that may read every account learn which exist
	 */
	public AccountSession session(String account, Caller caller, HttpServletRequest request) {
		String id = (account != null) ? account
				: this.accounts.defaultAccount()
					.orElseThrow(() -> new UnknownAccountException(
							"several accounts are configured and none is the default: ask for /token/{account}"));
		return checked(id, caller, () -> request.setAttribute(AuditTrail.ACCOUNT, id));
	}

	/**
	 * The session of the account named, if this caller may read it, under the same rule,
	 * outside an HTTP request (a WebSocket frame, say).
	 * @throws UnknownAccountException (404) when no such account exists and the caller
	 * may read every account
	 * @throws AccountNotAllowedException (403) when the caller may not read it, or it
	 * does not exist and the caller may not read every account
	 */
	public AccountSession session(String account, Caller caller) {
		return checked(account, caller, () -> {
		});
	}

	/** {@code known} runs once the account is known to exist, before its access check. */
	private AccountSession checked(String id, Caller caller, Runnable known) {
		AccountSession session = this.sessions.find(id).orElse(null);
		if (session == null) {
			throw caller.readsEveryAccount() ? new UnknownAccountException("no account with this id is configured")
					: new AccountNotAllowedException("client " + caller.id() + " may not read this account");
		}
		known.run();
		if (!caller.mayRead(id)) {
			throw new AccountNotAllowedException("client " + caller.id() + " may not read account " + id);
		}
		return session;
	}

}
