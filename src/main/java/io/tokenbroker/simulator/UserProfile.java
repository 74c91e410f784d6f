package io.tokenbroker.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code GET /auth/me}: the user behind a token.
 *
 * @param userId the user id
 * @param name the username
 * @param fullName the user's full name
 * @param email the e-mail address (a reserved, never-delivered domain)
 * @param emailVerified whether the address is verified
 * @param isTrial whether the account is a trial
 */
@JsonPropertyOrder({ "userId", "name", "fullName", "email", "emailVerified", "isTrial" })
record UserProfile(long userId, String name, String fullName, String email, boolean emailVerified,
		@JsonProperty("isTrial") boolean isTrial) {

	static UserProfile of(SimulatedUser user) {
		return new UserProfile(user.userId(), user.name(), user.name(), user.name() + "@example.invalid", true, false);
	}

}
