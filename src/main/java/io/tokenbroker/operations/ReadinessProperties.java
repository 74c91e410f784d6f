package io.tokenbroker.operations;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The readiness probe is down until the broker can first serve a token, then out of
 * service whenever callers would get 503 ({@code broker.readiness.*}).
 *
 * @param require which accounts must be able to serve a token: {@code any} (at least one)
 * or {@code all}
 */
@ConfigurationProperties("broker.readiness")
@Validated
public record ReadinessProperties(@NotNull @DefaultValue("any") Require require) {

	/** Which accounts must be able to serve a token for the broker to be ready. */
	public enum Require {

		/** At least one account. */
		ANY,

		/** Every configured account. */
		ALL

	}

}
