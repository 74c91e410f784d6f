package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;
import io.tokenbroker.tradovate.TradovateAuth;

/**
 * Tradovate as a test scripts it: each call answers with the next queued answer for its
 * operation, or stays in flight until the test answers it.
 */
final class ScriptedTradovate implements TradovateAuth {

	private final Clock clock;

	private final Map<Operation, Deque<TradovateAnswer>> queued = new EnumMap<>(Operation.class);

	private final List<Call> calls = new ArrayList<>();

	private final AtomicInteger minted = new AtomicInteger();

	ScriptedTradovate(Clock clock) {
		this.clock = clock;
		for (Operation operation : Operation.values()) {
			this.queued.put(operation, new ArrayDeque<>());
		}
	}

	/** Answers the next call of an operation. */
	synchronized ScriptedTradovate then(Operation operation, TradovateAnswer answer) {
		this.queued.get(operation).addLast(answer);
		return this;
	}

	/** A new token that lives {@code lifetime} from now on the test clock. */
	TradovateAnswer.Granted granted(Duration lifetime) {
		String token = "token-" + this.minted.incrementAndGet();
		return new TradovateAnswer.Granted(
				new IssuedToken(token, "md-" + token, this.clock.instant().plus(lifetime), lifetime, 42L));
	}

	synchronized List<Call> calls() {
		return List.copyOf(this.calls);
	}

	synchronized List<Call> calls(Operation operation) {
		return this.calls.stream().filter((call) -> call.operation() == operation).toList();
	}

	synchronized Call last() {
		return this.calls.get(this.calls.size() - 1);
	}

	@Override
	public CompletableFuture<TradovateAnswer> login(TradovateAccount account, LoginRequest request) {
		return record(new Call(Operation.LOGIN, request, null, new CompletableFuture<>()));
	}

	@Override
	public CompletableFuture<TradovateAnswer> renew(TradovateAccount account, String accessToken) {
		return record(new Call(Operation.RENEW, null, accessToken, new CompletableFuture<>()));
	}

	@Override
	public CompletableFuture<TradovateAnswer> me(TradovateAccount account, String accessToken) {
		return record(new Call(Operation.ME, null, accessToken, new CompletableFuture<>()));
	}

	private CompletableFuture<TradovateAnswer> record(Call call) {
		TradovateAnswer answer;
		synchronized (this) {
			this.calls.add(call);
			answer = this.queued.get(call.operation()).pollFirst();
		}
		if (answer != null) {
			call.answer().complete(answer);
		}
		return call.answer();
	}

	/**
	 * One call the broker made.
	 *
	 * @param operation which
	 * @param request the login body, for logins
	 * @param accessToken the bearer token, for renewals and {@code /auth/me}
	 * @param answer completes when answered
	 */
	record Call(Operation operation, LoginRequest request, String accessToken,
			CompletableFuture<TradovateAnswer> answer) {

		void answer(TradovateAnswer answer) {
			this.answer.complete(answer);
		}

	}

}
