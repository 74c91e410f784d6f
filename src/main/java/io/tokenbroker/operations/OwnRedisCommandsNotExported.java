package io.tokenbroker.operations;

import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanExportingPredicate;

/**
 * Keeps the Redis commands a replica sends by itself (keeping its leases, watching the
 * fleet: one or two a second) out of the exported spans; a Redis command sent while
 * answering a request stays in that request's trace.
 */
final class OwnRedisCommandsNotExported implements SpanExportingPredicate {

	@Override
	public boolean isExportable(FinishedSpan span) {
		return !("redis".equals(span.getTags().get("db.system")) && isRoot(span.getParentId()));
	}

	private static boolean isRoot(String parentId) {
		return parentId == null || parentId.chars().allMatch((c) -> c == '0');
	}

}
