package io.tokenbroker.session;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.SmartInitializingSingleton;

import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When Tradovate is another process, the first login goes as soon as the state store is
 * read, while the rest of the context is still being built: a bean that waits for the
 * login after every other bean exists, and before the web server or the renewal schedule
 * start, sees it arrive. (With the embedded simulator the login waits for the web server
 * that answers it; every test on the {@code sim} profile starts that way.)
 */
@Tag("application")
class FirstLoginTests {

	private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private final MockWebServer tradovate = new MockWebServer();

	private final CountDownLatch loginArrived = new CountDownLatch(1);

	private Brokers.Started broker;

	@AfterEach
	void stop() {
		if (this.broker != null) {
			this.broker.close();
		}
		this.tradovate.close();
	}

	@Test
	void theFirstLoginGoesBeforeTheContextHasStarted() throws IOException {
		this.tradovate.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				if (!request.getUrl().encodedPath().equals("/v1/auth/accesstokenrequest")) {
					return new MockResponse.Builder().code(404).build();
				}
				FirstLoginTests.this.loginArrived.countDown();
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"accessToken\":\"T1\",\"mdAccessToken\":\"M1\",\"userId\":7,\"expirationTime\":\""
							+ CLOCK.instant().plus(Duration.ofMinutes(80)) + "\"}")
					.build();
			}
		});
		this.tradovate.start(InetAddress.getLoopbackAddress(), 0);
		LoginBeforeStart witness = new LoginBeforeStart(this.loginArrived);

		this.broker = Brokers.broker(CLOCK, Map.of("loginBeforeStart", witness), this.tradovate.getPort(),
				List.of("main"), "broker.store.type=memory");

		assertThat(witness.arrivedBeforeStart).as("the login arrived before the context started").isTrue();
		assertThat(this.broker.caller().get("/token/main").statusCode()).isEqualTo(200);
	}

	/**
	 * Called once every singleton exists, before any lifecycle (web server, renewal
	 * schedule) starts.
	 */
	static final class LoginBeforeStart implements SmartInitializingSingleton {

		private final CountDownLatch loginArrived;

		private volatile boolean arrivedBeforeStart;

		LoginBeforeStart(CountDownLatch loginArrived) {
			this.loginArrived = loginArrived;
		}

		@Override
		public void afterSingletonsInstantiated() {
			try {
				this.arrivedBeforeStart = this.loginArrived.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
