package io.tokenbroker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A Tradovate whose auth API answers like the real one (tokens {@code T1}, {@code T2}...
 * from each login, on the test's clock) and whose other endpoints answer what the test
 * queued, recording every call: what exactly the gateway sent, and how often.
 */
final class ScriptedUpstream extends Dispatcher {

	private final Clock clock;

	private final AtomicInteger logins = new AtomicInteger();

	private final Queue<MockResponse> answers = new ConcurrentLinkedQueue<>();

	private final List<RecordedRequest> calls = new CopyOnWriteArrayList<>();

	private volatile int meStatus = 200;

	ScriptedUpstream(Clock clock) {
		this.clock = clock;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		if (path.equals("/v1/auth/accesstokenrequest")) {
			String token = "T" + this.logins.incrementAndGet();
			return new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"accessToken\":\"" + token + "\",\"mdAccessToken\":\"M" + token + "\",\"userId\":7,"
						+ "\"expirationTime\":\"" + this.clock.instant().plus(Duration.ofMinutes(80)) + "\"}")
				.build();
		}
		if (path.equals("/v1/auth/me")) {
			return (this.meStatus == 200) ? new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"userId\":7,\"name\":\"trader\"}")
				.build() : new MockResponse.Builder().code(this.meStatus).build();
		}
		this.calls.add(request);
		MockResponse answer = this.answers.poll();
		return (answer != null) ? answer
				: new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"answered\":true}")
					.build();
	}

	/** The next call of an endpoint gets this answer. */
	void answer(MockResponse answer) {
		this.answers.add(answer);
	}

	/** How {@code /auth/me} answers from now on. */
	void meAnswers(int status) {
		this.meStatus = status;
	}

	int logins() {
		return this.logins.get();
	}

	/** Every call of an endpoint other than the auth API, in order. */
	List<RecordedRequest> calls() {
		return List.copyOf(this.calls);
	}

	void reset() {
		this.answers.clear();
		this.calls.clear();
		this.meStatus = 200;
	}

}
