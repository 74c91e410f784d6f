package io.tokenbroker.caller;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the broker slows down key guessing: a remote address may fail authentication
 * {@code free-failures} times within {@code failure-window}; each further failure locks
 * it out for twice as long as the last (1 s, 2 s, 4 s... up to {@code max-lock-out}),
 * during which every request it sends with a key gets 429.
 *
 * @param freeFailures failed authentications per remote address before lock-outs begin
 * @param failureWindow how long a failed authentication is remembered
 * @param maxLockOut longest lock-out
 * @param trustedProxies proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For}
 * names the caller; none by default, so that no header can change a caller's address
 */
@ConfigurationProperties("broker.security")
@Validated
public record CallerSecurityProperties(@Min(0) @DefaultValue("5") int freeFailures,
		@NotNull @DefaultValue("15m") Duration failureWindow, @NotNull @DefaultValue("15m") Duration maxLockOut,
		@DefaultValue List<String> trustedProxies) {

}
