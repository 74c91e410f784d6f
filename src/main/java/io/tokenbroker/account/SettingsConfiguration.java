package io.tokenbroker.account;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * The checks across the features' settings, which Spring Boot runs as each settings
 * record is bound.
 */
@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

	/**
	 * Static, and infrastructure: Spring Boot's settings binder takes it before the other
	 * beans exist.
	 */
	@Bean(EnableConfigurationProperties.VALIDATOR_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static SettingsAcrossFeatures configurationPropertiesValidator(ObjectProvider<AccountsProperties> accounts) {
		return new SettingsAcrossFeatures(() -> {
			try {
				return accounts.getIfAvailable();
			}
			catch (BeansException ex) {
				// the accounts' own binding stops start-up, saying why
				return null;
			}
		});
	}

}
