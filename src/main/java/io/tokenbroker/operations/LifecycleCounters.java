package io.tokenbroker.operations;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.session.LoginReason;
import io.tokenbroker.session.RevocationCause;
import io.tokenbroker.session.SessionEvents;
import io.tokenbroker.session.SessionState;

/**
 * Counts what operators must hear of: the waits Tradovate imposes
 * ({@code broker.penalties} by account and kind), logins by reason
 * ({@code broker.logins}), session checks by outcome ({@code broker.session.checks}),
 * tokens revoked upstream by cause ({@code broker.token.revocations}), stored tokens that
 * cannot be opened ({@code broker.store.unreadable}) and lease changes
 * ({@code broker.store.lease.changes} by account and change). Every counter exists from
 * the start at 0, so {@code increase()} sees the first one.
 */
final class LifecycleCounters implements SessionEvents {

	/** The {@code kind} tag of each waiting state. */
	private static final Map<SessionState, String> KINDS = Map.of(SessionState.PENALIZED, "penalty",
			SessionState.CAPTCHA_REQUIRED, "captcha", SessionState.LOCKED_OUT, "locked_out", SessionState.REJECTED,
			"rejected_credentials");

	/** Outcomes of a session check. */
	private static final List<String> CHECK_OUTCOMES = List.of("open", "closed", "failed", "skipped");

	private final MeterRegistry registry;

	LifecycleCounters(MeterRegistry registry, Collection<String> accounts) {
		this.registry = registry;
		accounts.forEach((account) -> {
			KINDS.values().forEach((kind) -> penalties(account, kind));
			for (LoginReason reason : LoginReason.values()) {
				logins(account, reason.tag());
			}
			for (String outcome : CHECK_OUTCOMES) {
				checks(account, outcome);
			}
			for (RevocationCause cause : RevocationCause.values()) {
				revocations(account, cause);
			}
			unreadable(account);
			leaseChanges(account, "acquired");
			leaseChanges(account, "lost");
		});
	}

	@Override
	public void waitImposed(String account, SessionState state) {
		String kind = KINDS.get(state);
		if (kind != null) {
			penalties(account, kind).increment();
		}
	}

	@Override
	public void loginStarted(String account, LoginReason reason) {
		logins(account, reason.tag()).increment();
	}

	@Override
	public void sessionChecked(String account, String outcome) {
		checks(account, outcome).increment();
	}

	@Override
	public void tokenRevoked(String account, RevocationCause cause) {
		revocations(account, cause).increment();
	}

	@Override
	public void storedTokenUnreadable(String account) {
		unreadable(account).increment();
	}

	@Override
	public void leaseChanged(String account, boolean gained) {
		leaseChanges(account, gained ? "acquired" : "lost").increment();
	}

	private Counter penalties(String account, String kind) {
		return counter("broker.penalties",
				"Waits Tradovate imposed: penalty tickets, captcha demands, lock-outs, refused credentials", account,
				"kind", kind);
	}

	private Counter logins(String account, String reason) {
		return counter("broker.logins",
				"Logins the broker started, each a new Tradovate session, by account and reason", account, "reason",
				reason);
	}

	private Counter checks(String account, String outcome) {
		return counter("broker.session.checks",
				"Checks that an account's session is still open, by account and outcome", account, "outcome", outcome);
	}

	private Counter revocations(String account, RevocationCause cause) {
		return counter("broker.token.revocations",
				"Tokens Tradovate stopped accepting before they expired (session closed or token revoked upstream), "
						+ "by account and how the broker learned of it",
				account, "cause", cause.tag());
	}

	private Counter unreadable(String account) {
		return Counter.builder("broker.store.unreadable")
			.description("Stored tokens this replica could not open: a missing or wrong store key, or an altered entry")
			.tag("account", account)
			.register(this.registry);
	}

	private Counter leaseChanges(String account, String change) {
		return counter("broker.store.lease.changes", "Leases this replica acquired or lost, by account", account,
				"change", change);
	}

	/** A counter by account and one more tag; registering again finds the same one. */
	private Counter counter(String name, String description, String account, String tag, String value) {
		return Counter.builder(name)
			.description(description)
			.tag("account", account)
			.tag(tag, value)
			.register(this.registry);
	}

}
