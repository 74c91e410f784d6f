package io.tokenbroker.operations;

import java.util.Map;

import io.micrometer.tracing.exporter.FinishedSpan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Only the Redis commands outside any trace are kept from the collector.
 */
class OwnRedisCommandsNotExportedTests {

	private static final Map<String, String> REDIS = Map.of("db.system", "redis", "db.operation", "EVALSHA");

	private final OwnRedisCommandsNotExported predicate = new OwnRedisCommandsNotExported();

	@Test
	void aRedisCommandOfNoTraceIsNotExported() {
		assertThat(this.predicate.isExportable(span(REDIS, "0000000000000000"))).isFalse();
		assertThat(this.predicate.isExportable(span(REDIS, null))).isFalse();
		assertThat(this.predicate.isExportable(span(REDIS, ""))).isFalse();
	}

	@Test
	void aRedisCommandInARequestsTraceIsExported() {
		assertThat(this.predicate.isExportable(span(REDIS, "00f067aa0ba902b7"))).isTrue();
	}

	@Test
	void everyOtherSpanIsExported() {
		assertThat(this.predicate.isExportable(span(Map.of("tradovate.operation", "renew"), "0000000000000000")))
			.isTrue();
		assertThat(this.predicate.isExportable(span(Map.of("uri", "/token"), null))).isTrue();
	}

	private static FinishedSpan span(Map<String, String> tags, String parentId) {
		FinishedSpan span = mock(FinishedSpan.class);
		given(span.getTags()).willReturn(tags);
		given(span.getParentId()).willReturn(parentId);
		return span;
	}

}
