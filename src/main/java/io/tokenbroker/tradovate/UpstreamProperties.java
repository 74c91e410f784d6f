package io.tokenbroker.tradovate;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the broker talks to Tradovate ({@code broker.upstream.*}).
 *
 * @param connectTimeout TCP connect timeout to Tradovate
 * @param timeout longest time one call may take, answer body included
 * @param maxResponseSize largest answer body read from Tradovate
 * @param maxTokenLifetime a token said to live longer than this is refused as bogus
 */
@ConfigurationProperties("broker.upstream")
@Validated
public record UpstreamProperties(@NotNull @DefaultValue("5s") Duration connectTimeout,
		@NotNull @DefaultValue("15s") Duration timeout, @NotNull @DefaultValue("64KB") DataSize maxResponseSize,
		@NotNull @DefaultValue("24h") Duration maxTokenLifetime) {

}
