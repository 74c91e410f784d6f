package io.tokenbroker.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Tradovate's AccessTokenResponse on success, with the undocumented fields real responses
 * carry (auth doc, "AccessTokenResponse"): clients must ignore what they do not know.
 *
 * @param accessToken the access token
 * @param mdAccessToken the market-data token; absent on renewals unless configured
 * @param expirationTime when the access token expires (ISO-8601 UTC)
 * @param passwordExpirationTime when the password expires
 * @param userStatus the account status
 * @param userId the user id
 * @param name the username
 * @param hasLive whether the user has a live account
 * @param hasFunded undocumented
 * @param hasMarketData undocumented
 * @param outdatedTaC undocumented
 * @param outdatedLiquidationPolicy undocumented
 * @param outdatedSentimentPolicy undocumented
 * @param hibpHint a hint that the password appears in a known breach, {@code null} (sent
 * as such) when there is none
 * @param experience undocumented
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "accessToken", "mdAccessToken", "expirationTime", "passwordExpirationTime", "userStatus", "userId",
		"name", "hasLive", "hasFunded", "hasMarketData", "outdatedTaC", "outdatedLiquidationPolicy",
		"outdatedSentimentPolicy", "hibpHint", "experience" })
record AccessTokenResponse(String accessToken, String mdAccessToken, String expirationTime,
		String passwordExpirationTime, String userStatus, long userId, String name, boolean hasLive, boolean hasFunded,
		boolean hasMarketData, boolean outdatedTaC, boolean outdatedLiquidationPolicy, boolean outdatedSentimentPolicy,
		@JsonInclude(JsonInclude.Include.ALWAYS) String hibpHint, String experience) {

	static AccessTokenResponse of(SimulatedUser user, String accessToken, String mdAccessToken, String expirationTime,
			String passwordExpirationTime) {
		return of(user, accessToken, mdAccessToken, expirationTime, passwordExpirationTime, null);
	}

	static AccessTokenResponse of(SimulatedUser user, String accessToken, String mdAccessToken, String expirationTime,
			String passwordExpirationTime, String hibpHint) {
		return new AccessTokenResponse(accessToken, mdAccessToken, expirationTime, passwordExpirationTime, "Active",
				user.userId(), user.name(), user.hasLive(), false, false, false, false, false, hibpHint, "Advanced");
	}

	@Override
	public String toString() {
		return "AccessTokenResponse[accessToken=***, mdAccessToken=" + ((this.mdAccessToken != null) ? "***" : null)
				+ ", expirationTime=" + this.expirationTime + ", userId=" + this.userId + ", name=" + this.name + "]";
	}

}
