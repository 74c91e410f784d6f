package io.tokenbroker.events;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The token event streams ({@code broker.events.*}).
 *
 * @param maxStreamsPerClient open streams one client may hold at once, over all its keys
 * and accounts; one more gets 429
 * @param heartbeat how often an idle stream gets a comment line, so that proxies keep it
 * open and a caller that went away is noticed
 * @param reconnectDelay the {@code retry} callers are told to wait before reconnecting
 * @param checkInterval how often the broker looks for a token that expired or an account
 * that stopped serving, for the streams' sake (new tokens are pushed at once)
 */
@ConfigurationProperties("broker.events")
@Validated
public record TokenEventProperties(@Min(1) @DefaultValue("64") int maxStreamsPerClient,
		@NotNull @DefaultValue("15s") Duration heartbeat, @NotNull @DefaultValue("2s") Duration reconnectDelay,
		@NotNull @DefaultValue("1s") Duration checkInterval) {

}
