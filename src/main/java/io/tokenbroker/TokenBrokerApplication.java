package io.tokenbroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import io.tokenbroker.caller.NewClientKey;
import io.tokenbroker.store.CopyStoreToRedis;

/**
 * Holds Tradovate credentials, keeps one access token per Tradovate user alive and hands
 * it to internal callers. With {@code new-client-key [options] <client-id>} as arguments
 * it mints a client key instead; with {@code copy-store-to-redis} it copies its file
 * store into Redis, for a fleet.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TokenBrokerApplication {

	public static void main(String[] args) {
		if (args.length > 0 && NewClientKey.COMMAND.equals(args[0])) {
			System.exit(NewClientKey.run(args, System.out, System.err));
		}
		if (args.length > 0 && CopyStoreToRedis.COMMAND.equals(args[0])) {
			System.exit(CopyStoreToRedis.run(args, System.out, System.err));
		}
		SpringApplication.run(TokenBrokerApplication.class, args);
	}

	/** The features the settings of this start have no use for are left out. */
	@Bean
	static FeaturesBySettings featuresBySettings() {
		return new FeaturesBySettings();
	}

}
