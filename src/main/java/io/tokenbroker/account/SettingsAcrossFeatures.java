package io.tokenbroker.account;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The rules that span the settings of two features: each account a client may read is a
 * configured account, and a running broker has a client. Applied to the clients' settings
 * ({@link AccountGrants}) as they are bound, beside their own constraints: by Spring Boot
 * at start-up (as its {@code configurationPropertiesValidator},
 * {@link SettingsConfiguration}) and by {@link SettingsReader} on a reload, so that a
 * problem here is one line of the same report.
 */
class SettingsAcrossFeatures implements Validator {

	private final Supplier<AccountsProperties> accounts;

	/**
	 * @param accounts the accounts to check against; {@code null} when they cannot be
	 * read, whose own binding then says why
	 */
	SettingsAcrossFeatures(Supplier<AccountsProperties> accounts) {
		this.accounts = accounts;
	}

	@Override
	public boolean supports(Class<?> type) {
		return AccountGrants.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		AccountsProperties accounts = this.accounts.get();
		if (accounts == null) {
			return;
		}
		AccountGrants grants = (AccountGrants) target;
		if (accounts.enabled() && grants.accountsByClient().isEmpty()) {
			errors.reject("AcrossFeatures",
					"at least one client must be configured under broker.clients.<client>, or no caller can get a token");
		}
		boolean known = grants.accountsByClient()
			.values()
			.stream()
			.flatMap(List::stream)
			.allMatch((account) -> AccountGrants.ALL_ACCOUNTS.equals(account)
					|| accounts.accounts().containsKey(account));
		if (!known) {
			errors.reject("AcrossFeatures",
					"every account listed under broker.clients.<client>.accounts must be configured under broker.accounts (or be \"*\")");
		}
	}

}
