package io.tokenbroker.session;

import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.HourlyLedgers;

/**
 * Tradovate's hourly limits. Tradovate counts per IP address, so one budget serves every
 * account of this broker and, on a shared store, every replica; it lives in the store so
 * that restarts never forget it.
 *
 * @param failedLogins failed logins ({@code accesstokenrequest} counts failures only)
 * @param renewals renewal calls ({@code renewaccesstoken} counts every call)
 * @param failedChecks failed calls of {@code /auth/me}, which checks whether a session is
 * still open (Tradovate counts failures only)
 */
public record UpstreamBudget(HourlyLedger failedLogins, HourlyLedger renewals, HourlyLedger failedChecks) {

	public static UpstreamBudget of(SessionProperties.Limits limits, HourlyLedgers store) {
		return new UpstreamBudget(store.ledger("failed-logins", limits.failedLoginsPerHour()),
				store.ledger("renewals", limits.renewalsPerHour()),
				store.ledger("failed-checks", limits.failedChecksPerHour()));
	}

}
