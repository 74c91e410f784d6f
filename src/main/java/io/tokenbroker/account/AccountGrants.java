package io.tokenbroker.account;

import java.util.List;
import java.util.Map;

/**
 * Which accounts each client may read ({@code broker.clients.<client>.accounts}), as the
 * checks across features see them: the callers' settings implement it, so that
 * {@link SettingsAcrossFeatures} holds them against {@code broker.accounts} without this
 * package knowing the callers.
 */
public interface AccountGrants {

	/** Stands for every account in a client's accounts. */
	String ALL_ACCOUNTS = "*";

	/** The account ids each client may read, by client id; empty without clients. */
	Map<String, List<String>> accountsByClient();

}
