package io.tokenbroker.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small, fixed user data the simulator serves, shaped like the entities of
 * Tradovate's OpenAPI description ({@code Account}, {@code User}, {@code CashBalance}):
 * one demo account per user, ids derived from the user id.
 */
final class UserEntities {

	/**
	 * Ids and timestamps stay put across calls: the first day of the simulated accounts.
	 */
	private static final String CREATED = "2026-01-02T00:00:00.000Z";

	private UserEntities() {
	}

	static long accountId(SimulatedUser user) {
		return user.userId() * 10 + 1;
	}

	static Map<String, Object> account(SimulatedUser user) {
		Map<String, Object> account = new LinkedHashMap<>();
		account.put("id", accountId(user));
		account.put("name", "DEMO" + user.userId());
		account.put("userId", user.userId());
		account.put("accountType", "Customer");
		account.put("active", true);
		account.put("clearingHouseId", 2);
		account.put("riskCategoryId", 2);
		account.put("autoLiqProfileId", 2);
		account.put("marginAccountType", "Speculator");
		account.put("legalStatus", "Individual");
		account.put("archived", false);
		account.put("timestamp", CREATED);
		return account;
	}

	static Map<String, Object> user(SimulatedUser user) {
		Map<String, Object> entity = new LinkedHashMap<>();
		entity.put("id", user.userId());
		entity.put("name", user.name());
		entity.put("timestamp", CREATED);
		entity.put("email", UserProfile.of(user).email());
		entity.put("status", "Active");
		entity.put("professional", false);
		return entity;
	}

	static Map<String, Object> cashBalance(SimulatedUser user, double amount, Instant now) {
		ZonedDateTime day = now.atZone(ZoneOffset.UTC);
		Map<String, Object> balance = new LinkedHashMap<>();
		balance.put("id", accountId(user));
		balance.put("accountId", accountId(user));
		balance.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
		balance.put("tradeDate",
				Map.of("year", day.getYear(), "month", day.getMonthValue(), "day", day.getDayOfMonth()));
		balance.put("currencyId", 1);
		balance.put("amount", amount);
		balance.put("realizedPnL", 0.0);
		balance.put("weekRealizedPnL", 0.0);
		return balance;
	}

	static Map<String, Object> contract(Contract contract) {
		Map<String, Object> entity = new LinkedHashMap<>();
		entity.put("id", contract.id());
		entity.put("name", contract.name());
		entity.put("contractMaturityId", contract.id() + 1_000_000);
		entity.put("status", "DefinitionChecked");
		entity.put("providerTickSize", 0.25);
		return entity;
	}

}
