package io.tokenbroker.api;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Which account a request for a token names, and whether its caller may read it: the one
 * rule behind {@code /token}, {@code /token/refused} and {@code /token/events}.
 */
@Component
@PartOf(Feature.BROKER)
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
		if (account == null && this.accounts.defaultAccount().isEmpty()) {
			throw new UnknownAccountException(
					"several accounts are configured and none is the default: ask for /token/{account}");
		}
		return checked(find(account), caller, request);
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
		return checked(find(account), caller, null);
	}

	/**
	 * The account is noted on the request (if any) once known to exist, before its check.
	 */
	private static AccountSession checked(AccountSession session, Caller caller, HttpServletRequest request) {
		if (session == null) {
			throw caller.readsEveryAccount() ? new UnknownAccountException("no account with this id is configured")
					: new AccountNotAllowedException("client " + caller.id() + " may not read this account");
		}
		if (request != null) {
			request.setAttribute(AuditTrail.ACCOUNT, session.id());
		}
		if (!caller.mayRead(session.id())) {
			throw new AccountNotAllowedException("client " + caller.id() + " may not read account " + session.id());
		}
		return session;
	}

	/**
	 * The session of the account a path names, or of the default one for
	 * {@code account == null}; {@code null} when there is none. The hot path asks this
	 * and {@link Caller#mayRead}, and leaves every other case to {@link #session}.
	 */
	AccountSession find(String account) {
		String id = (account != null) ? account : this.accounts.defaultAccount().orElse(null);
		return (id != null) ? this.sessions.find(id).orElse(null) : null;
	}

}
