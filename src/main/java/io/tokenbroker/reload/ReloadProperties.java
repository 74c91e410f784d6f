package io.tokenbroker.reload;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the broker notices changed settings files.
 *
 * @param checkInterval how often the settings files and configtree directories are read
 * again to look for changes to clients, their keys and rights, and the accounts'
 * credentials; {@code 0} turns reloading off
 */
@ConfigurationProperties("broker.reload")
@Validated
public record ReloadProperties(@NotNull @DefaultValue("10s") Duration checkInterval) {
}
