package io.tokenbroker.account;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@code password} and {@code secret} settings (from properties, environment
 * variables or {@code configtree:} files) straight into {@link Secret}.
 */
@Component
@ConfigurationPropertiesBinding
class SecretConverter implements Converter<String, Secret> {

	@Override
	public Secret convert(String source) {
		// configtree files usually end with a newline that is not part of the secret
		return Secret.of(source.strip());
	}

}
