package io.tokenbroker.gateway;

import java.util.Locale;
import java.util.Set;

/**
 * A Tradovate endpoint as a caller names it ({@code user/syncrequest}): the REST path
 * after the account, or the first line of a WebSocket request. Tradovate's own names are
 * case-insensitive, so the limits compare them in lower case.
 *
 * @param name the endpoint in lower case
 */
record Endpoint(String name) {

	/** What a REST path after the account may be: segments of Tradovate's characters. */
	private static final String PATH = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*";

	/**
	 * The broker's own business: a caller that logs in or renews through the gateway
	 * would open sessions and spend the renewals the broker needs.
	 */
	private static final Set<String> RESERVED = Set.of("auth/accesstokenrequest", "auth/renewaccesstoken",
			"auth/oauthtoken");

	/** Tradovate counts this one's failed calls against the broker's address. */
	private static final String SESSION_CHECK = "auth/me";

	static Endpoint of(String path) {
		return new Endpoint(path.toLowerCase(Locale.ROOT));
	}

	/** Whether a REST path is one the gateway passes on: no empty or dot segments. */
	static boolean isPath(String path) {
		if (path == null || !path.matches(PATH)) {
			return false;
		}
		for (String segment : path.split("/")) {
			if (segment.equals(".") || segment.equals("..")) {
				return false;
			}
		}
		return true;
	}

	boolean reserved() {
		return RESERVED.contains(this.name);
	}

	boolean sessionCheck() {
		return SESSION_CHECK.equals(this.name);
	}

	/** The name of its ledger or hold in the store: letters, digits and dashes. */
	String storeName() {
		return this.name.replaceAll("[^a-z0-9]", "-");
	}

	@Override
	public String toString() {
		return this.name;
	}

}
