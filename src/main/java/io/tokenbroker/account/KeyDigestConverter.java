package io.tokenbroker.account;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@code key-sha256} settings into {@link KeyDigest}; never fails, so that a bad
 * value is reported by validation, which does not print it.
 */
@Component
@ConfigurationPropertiesBinding
class KeyDigestConverter implements Converter<String, KeyDigest> {

	@Override
	public KeyDigest convert(String source) {
		return KeyDigest.of(source);
	}

}
