package io.tokenbroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Holds Tradovate credentials, keeps one access token per Tradovate user alive and hands
 * it to internal callers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TokenBrokerApplication {

	public static void main(String[] args) {
		SpringApplication.run(TokenBrokerApplication.class, args);
	}

}
