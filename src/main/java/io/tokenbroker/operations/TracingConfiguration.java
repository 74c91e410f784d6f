package io.tokenbroker.operations;

import io.micrometer.tracing.exporter.SpanExportingPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * What the broker adds to Spring Boot's tracing, when spans are exported
 * ({@link TracingOnlyWithAnEndpoint}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(TracingOnlyWithAnEndpoint.Exporting.class)
class TracingConfiguration {

	@Bean
	SpanExportingPredicate ownRedisCommandsNotExported() {
		return new OwnRedisCommandsNotExported();
	}

}
