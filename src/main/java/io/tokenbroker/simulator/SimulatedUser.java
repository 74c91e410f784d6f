package io.tokenbroker.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Tradovate user with one API key, as the simulator knows it.
 *
 * @param name the username
 * @param password the password
 * @param appId the API key's name
 * @param cid the API key's id
 * @param secret the API key's secret
 * @param userId the Tradovate user id
 * @param hasLive whether the user has a live account
 */
record SimulatedUser(String name, String password, String appId, long cid, String secret, long userId,
		boolean hasLive) {

	static final SimulatedUser DEFAULT = new SimulatedUser("sim-user", "sim-password", "sim-app", 1, "sim-secret",
			deriveUserId("sim-user"), false);

	/**
	 * The users configured under {@code simulator.users}, or the default user when none
	 * is.
	 * @param properties the simulator configuration
	 * @return users by username
	 */
	static Map<String, SimulatedUser> from(SimulatorProperties properties) {
		Map<String, SimulatedUser> users = new LinkedHashMap<>();
		properties.users().forEach((key, user) -> {
			String name = (user.name() != null && !user.name().isBlank()) ? user.name() : key;
			long userId = (user.userId() != null) ? user.userId() : deriveUserId(name);
			users.put(name, new SimulatedUser(name, user.password(), user.appId(), user.cid(), user.secret(), userId,
					user.hasLive()));
		});
		if (users.isEmpty()) {
			users.put(DEFAULT.name(), DEFAULT);
		}
		return Map.copyOf(users);
	}

	/**
	 * A stable user id per name, so the same user keeps its id across restarts.
	 * @param name the username
	 * @return a seven-digit id
	 */
	static long deriveUserId(String name) {
		int hash = ByteBuffer.wrap(Fingerprint.sha256(name.getBytes(StandardCharsets.UTF_8))).getInt();
		return 1_000_000L + Math.floorMod(hash, 9_000_000);
	}

	/**
	 * Whether a well-formed login carries exactly this user's credentials and API key.
	 * @param request the login
	 * @return whether it authenticates this user
	 */
	boolean acceptsCredentialsOf(AccessTokenRequest request) {
		Long cid = request.cidNumber();
		// Every part is compared (no early exit) and secrets in constant time.
		boolean matches = same(this.password, request.password());
		matches &= same(this.secret, request.sec());
		matches &= this.appId.equals(request.appId());
		matches &= cid != null && cid == this.cid;
		return matches;
	}

	private static boolean same(String expected, String actual) {
		return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "SimulatedUser[name=" + this.name + ", password=***, appId=" + this.appId + ", cid=" + this.cid
				+ ", secret=***, userId=" + this.userId + ", hasLive=" + this.hasLive + "]";
	}

}
