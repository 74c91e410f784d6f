package io.tokenbroker.operations;

import java.util.Collection;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.session.SessionEvents;
import io.tokenbroker.session.SessionState;

/**
 * Counts the waits Tradovate imposes, as {@code broker.penalties} by account and kind.
 * Every counter exists from the start at 0, so {@code increase()} sees the first one.
 */
final class PenaltyCounter implements SessionEvents {

	/** The {@code kind} tag of each waiting state. */
	private static final Map<SessionState, String> KINDS = Map.of(SessionState.PENALIZED, "penalty",
			SessionState.CAPTCHA_REQUIRED, "captcha", SessionState.LOCKED_OUT, "locked_out", SessionState.REJECTED,
			"rejected_credentials");

	private final MeterRegistry registry;

	PenaltyCounter(MeterRegistry registry, Collection<String> accounts) {
		this.registry = registry;
		accounts.forEach((account) -> KINDS.values().forEach((kind) -> counter(account, kind)));
	}

	@Override
	public void waitImposed(String account, SessionState state) {
		String kind = KINDS.get(state);
		if (kind != null) {
			counter(account, kind).increment();
		}
	}

	private Counter counter(String account, String kind) {
		return Counter.builder("broker.penalties")
			.description("Waits Tradovate imposed: penalty tickets, captcha demands, lock-outs, refused credentials")
			.tag("account", account)
			.tag("kind", kind)
			.register(this.registry);
	}

}
