package io.tokenbroker.session;

import io.tokenbroker.account.BrokerProperties;

/**
 * Tradovate's hourly limits. Tradovate counts per IP address, so one budget serves every
 * account of this broker.
 *
 * @param failedLogins failed logins ({@code accesstokenrequest} counts failures only)
 * @param renewals renewal calls ({@code renewaccesstoken} counts every call)
 */
public record UpstreamBudget(HourlyBudget failedLogins, HourlyBudget renewals) {

	public static UpstreamBudget of(BrokerProperties.Limits limits) {
		return new UpstreamBudget(new HourlyBudget(limits.failedLoginsPerHour()),
				new HourlyBudget(limits.renewalsPerHour()));
	}

}
