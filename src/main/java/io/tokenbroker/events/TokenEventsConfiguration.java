package io.tokenbroker.events;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tokenbroker.api.AuditTrail;
import io.tokenbroker.api.TokenBodies;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.session.SessionProperties;
import io.tokenbroker.session.TokenCache;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The token event streams.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class TokenEventsConfiguration {

	@Bean
	TokenFeeds tokenFeeds(TokenCache tokens, TokenBodies bodies, JsonMapper json, AuditTrail audit,
			TokenEventProperties settings, SessionProperties properties, Clock clock, MeterRegistry meters,
			CallerKeys keys) {
		TokenFeeds feeds = new TokenFeeds(tokens, bodies, json, audit, settings, properties.waitForToken(), clock,
				meters);
		// a reload that removes a client, or an account from its rights, ends its streams
		keys.onReplace(() -> feeds.endStreamsNoLongerAllowed(keys::caller));
		return feeds;
	}

}
