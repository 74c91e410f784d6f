package io.tokenbroker.session;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A caller's wait ends on its own deadline without ending the call it shares: a report
 * with a short wait that joined a login must not fail the login's other callers.
 */
class CallersTests {

	@Test
	void aReportsShortWaitDoesNotFailTheCallItJoined() {
		CompletableFuture<HeldToken> login = new CompletableFuture<>();

		CompletableFuture<HeldToken> report = Callers.checked(login, Duration.ofMillis(20));

		await().until(report::isDone);
		assertThat(report).isCompletedExceptionally();
		assertThat(login).isNotDone();
	}

	@Test
	void aTokenWaitsShortWaitDoesNotFailTheCallItJoined() {
		CompletableFuture<HeldToken> login = new CompletableFuture<>();

		CompletableFuture<HeldToken> caller = Callers.lasting(login, Duration.ZERO, Duration.ofMillis(20),
				Clock.systemUTC());

		await().until(caller::isDone);
		assertThat(caller).isCompletedExceptionally();
		assertThat(login).isNotDone();
	}

	@Test
	void theWaitFailsWithTheRefusalThatNamesItsDeadline() {
		CompletableFuture<HeldToken> report = Callers.checked(new CompletableFuture<>(), Duration.ofMillis(20));

		assertThatExceptionOfType(Exception.class).isThrownBy(report::join)
			.havingCause()
			.isInstanceOf(TokenUnavailableException.class);
	}

}
