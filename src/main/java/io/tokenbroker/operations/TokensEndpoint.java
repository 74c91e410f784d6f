package io.tokenbroker.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.session.SessionSnapshot;
import io.tokenbroker.session.TokenUnavailableException;
import io.tokenbroker.session.UpstreamBudget;

/**
 * {@code /actuator/tokens}: every account's state and schedule, and an operator's order
 * to one account to act now. Shows fingerprints, never a token.
 */
@Endpoint(id = "tokens")
class TokensEndpoint {

	private final AccountSessions sessions;

	private final UpstreamBudget budget;

	private final Duration waitForCall;

	private final Clock clock;

	TokensEndpoint(AccountSessions sessions, UpstreamBudget budget, Duration waitForCall, Clock clock) {
		this.sessions = sessions;
		this.budget = budget;
		this.waitForCall = waitForCall;
		this.clock = clock;
	}

	/** {@code GET /actuator/tokens}. */
	@ReadOperation
	public TokensReport tokens() {
		List<SessionSnapshot> accounts = this.sessions.all()
			.stream()
			.map(AccountSession::snapshot)
			.sorted(Comparator.comparing(SessionSnapshot::account))
			.toList();
		return new TokensReport(accounts, new BudgetReport(usage(this.budget.failedLogins()),
				usage(this.budget.renewals()), usage(this.budget.failedChecks())));
	}

	/**
	 * {@code POST /actuator/tokens/{account}}: renew now (or log in when no token is
	 * held), ending any wait; waits a bounded time for Tradovate's answer.
	 */
	@WriteOperation
	public WebEndpointResponse<ActNowReport> actNow(@Selector String account) {
		Optional<AccountSession> found = this.sessions.find(account);
		if (found.isEmpty()) {
			return new WebEndpointResponse<>(new ActNowReport(account, "unknown_account", null,
					"No account with this id is configured.", null, null), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		AccountSession session = found.get();
		CompletableFuture<HeldToken> call = session.actNow();
		try {
			HeldToken token = call.get(this.waitForCall.toMillis(), TimeUnit.MILLISECONDS);
			return answer(session, WebEndpointResponse.STATUS_OK, "succeeded", null,
					"Tradovate granted token " + token.fingerprint() + ", valid until " + token.expiresAt() + ".",
					null);
		}
		catch (TimeoutException ex) {
			return answer(session, 202, "in_flight", null, "Tradovate has not answered within "
					+ this.waitForCall.toMillis() + " ms; GET /actuator/tokens shows the outcome.", null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return answer(session, 202, "in_flight", null, "Interrupted while waiting for Tradovate.", null);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TokenUnavailableException unavailable)) {
				return answer(session, 502, "failed", null,
						"The call failed unexpectedly (" + ex.getCause().getClass().getSimpleName() + ").", null);
			}
			String reason = unavailable.reason().name().toLowerCase(Locale.ROOT);
			if (unavailable.reason() == TokenUnavailableException.Reason.BUDGET_EXHAUSTED) {
				return answer(session, WebEndpointResponse.STATUS_TOO_MANY_REQUESTS, "refused", reason,
						"Refused: the broker never exceeds Tradovate's hourly limits: " + unavailable.getMessage()
								+ ".",
						unavailable.retryAfterSeconds());
			}
			return answer(session, 502, "failed", reason,
					"Tradovate did not grant a token: " + unavailable.getMessage() + ".",
					unavailable.retryAfterSeconds());
		}
	}

	private WebEndpointResponse<ActNowReport> answer(AccountSession session, int status, String outcome, String reason,
			String message, Long retryAfterSeconds) {
		return new WebEndpointResponse<>(
				new ActNowReport(session.id(), outcome, reason, message, retryAfterSeconds, session.snapshot()),
				status);
	}

	private BudgetUsage usage(HourlyLedger hourly) {
		return new BudgetUsage(hourly.used(this.clock.instant()), hourly.limit());
	}

	/**
	 * Every account and the hourly budget they share.
	 *
	 * @param accounts each account's state and schedule, by account id
	 * @param budget calls counted against Tradovate's hourly limits
	 */
	record TokensReport(List<SessionSnapshot> accounts, BudgetReport budget) {
	}

	/**
	 * @param failedLogins failed logins in the last rolling hour
	 * @param renewals renewal calls in the last rolling hour
	 * @param failedChecks failed session checks in the last rolling hour
	 */
	record BudgetReport(BudgetUsage failedLogins, BudgetUsage renewals, BudgetUsage failedChecks) {
	}

	/**
	 * @param used calls in the last rolling hour
	 * @param limit calls allowed in any rolling hour
	 */
	record BudgetUsage(int used, int limit) {
	}

	/**
	 * What came of an order to act now.
	 *
	 * @param account account id
	 * @param outcome {@code succeeded}, {@code in_flight}, {@code refused} (the hourly
	 * budget is spent: no call was made), {@code failed} or {@code unknown_account}
	 * @param reason why no token came, as in a 503 of {@code GET /token}, or {@code null}
	 * @param message what happened, in words
	 * @param retryAfterSeconds when trying again makes sense, or {@code null}
	 * @param session the account's state and schedule afterwards, or {@code null}
	 */
	record ActNowReport(String account, String outcome, String reason, String message, Long retryAfterSeconds,
			SessionSnapshot session) {
	}

}
