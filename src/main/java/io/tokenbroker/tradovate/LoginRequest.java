package io.tokenbroker.tradovate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.tokenbroker.account.Credentials;

/**
 * The body of {@code POST /auth/accesstokenrequest}. A retry after a penalty is the same
 * body plus {@code p-ticket}.
 */
@JsonPropertyOrder({ "name", "password", "appId", "appVersion", "cid", "sec", "deviceId", "p-ticket" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginRequest(String name, String password, String appId, String appVersion, long cid, String sec,
		String deviceId, @JsonProperty("p-ticket") String penaltyTicket) {

	public static LoginRequest of(Credentials credentials) {
		return new LoginRequest(credentials.username(), credentials.password().reveal(), credentials.appId(),
				credentials.appVersion(), credentials.cid(), credentials.secret().reveal(), credentials.deviceId(),
				null);
	}

	/** The identical request, answering the penalty ticket Tradovate gave for it. */
	public LoginRequest withPenaltyTicket(String ticket) {
		return new LoginRequest(this.name, this.password, this.appId, this.appVersion, this.cid, this.sec,
				this.deviceId, ticket);
	}

	/** {@link Credentials#fingerprint()} of the credentials this login sends. */
	public String credentialsFingerprint() {
		return Credentials.fingerprint(this.name, this.password, this.appId, this.cid, this.deviceId, this.sec);
	}

	@Override
	public String toString() {
		return "LoginRequest[name=" + this.name + ", password=***, appId=" + this.appId + ", cid=" + this.cid
				+ ", sec=***, deviceId=" + this.deviceId + ", p-ticket="
				+ ((this.penaltyTicket != null) ? "***" : "none") + "]";
	}

}
