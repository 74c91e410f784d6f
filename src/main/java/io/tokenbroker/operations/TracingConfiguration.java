package io.tokenbroker.operations;

import io.micrometer.tracing.exporter.SpanExportingPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * What the broker adds to Spring Boot's tracing, when spans are exported
 * ({@link TracingOnlyWithAnEndpoint}).
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.TRACING)
class TracingConfiguration {

	@Bean
	SpanExportingPredicate ownRedisCommandsNotExported() {
		return new OwnRedisCommandsNotExported();
	}

}
