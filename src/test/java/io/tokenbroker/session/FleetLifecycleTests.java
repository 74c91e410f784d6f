package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.testing.MutableClock;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;

import static io.tokenbroker.session.TestReplica.LIFETIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replicas sharing one store (an in-memory model of the Redis store's contract), driven
 * by hand: leases, fencing, change notices, requests to the holder, outages.
 */
class FleetLifecycleTests {

	private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final MutableClock clock = new MutableClock(T0);

	private final ScriptedTradovate tradovate = new ScriptedTradovate(this.clock);

	private final SharedMemoryStore shared = new SharedMemoryStore();

	private TestReplica replica(String name) {
		TestReplica replica = TestReplica.on(this.shared.view(name), this.tradovate, this.clock).start();
		replica.fleet.keepLeases();
		return replica;
	}

	private HeldToken logIn(TestReplica holder) {
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		holder.session.maintain();
		return holder.tokens.get("main");
	}

	private Instant renewalDue(HeldToken token) {
		return token.expiresAt().minus(Duration.ofMinutes(10));
	}

	@Test
	void oneReplicaLogsInAndEveryReplicaServesItsToken() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		TestReplica c = replica("c");
		CompletableFuture<HeldToken> waiting = c.session.token(Duration.ZERO, WAIT);

		b.session.maintain();
		c.session.maintain();
		HeldToken token = logIn(a);

		assertThat(this.shared.holder("main")).isEqualTo("a");
		assertThat(waiting.join().accessToken()).isEqualTo(token.accessToken());
		assertThat(b.session.token(Duration.ZERO, WAIT).join().accessToken()).isEqualTo(token.accessToken());
		assertThat(b.session.snapshot().leaseHolder()).isEqualTo("a");
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void onlyTheHolderRenewsAndTheOthersServeTheRenewedToken() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		HeldToken first = logIn(a);

		this.clock.set(renewalDue(first));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		b.session.maintain();
		a.session.maintain();
		b.session.maintain();

		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.RENEW);
		assertThat(b.tokens.get("main").accessToken()).isEqualTo("token-2");
	}

	@Test
	void aReplicaWithoutTheLeaseAsksTheHolderToRenewForACaller() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		logIn(a);
		this.clock.advance(Duration.ofMinutes(30));

		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		HeldToken renewed = b.session.token(Duration.ofMinutes(60), WAIT, "alpha").join();

		assertThat(renewed.accessToken()).isEqualTo("token-2");
		assertThat(this.tradovate.last().operation()).isEqualTo(Operation.RENEW);
		// the holder counted it against the share of the client that asked at the other
		// replica
		assertThat(this.shared.view("c").ledger("forced-renewals-client-alpha", 4).used(this.clock.instant())).isOne();
	}

	@Test
	void aHolderThatCannotRenewTellsTheReplicaThatAsked() {
		TestReplica a = TestReplica.on(this.shared.view("a"), this.tradovate, this.clock).renewalsPerHour(3, 3).start();
		a.fleet.keepLeases();
		TestReplica b = replica("b");
		logIn(a);
		this.clock.advance(Duration.ofMinutes(5));

		assertThatThrownBy(() -> b.session.token(Duration.ofMinutes(79), WAIT).join())
			.hasRootCauseInstanceOf(TokenUnavailableException.class)
			.hasMessageContaining("kept for scheduled renewals");
	}

	@Test
	void whenTheHolderDiesMidRenewalAnotherReplicaRenewsTheSharedTokenAndTheLateAnswerIsDiscarded() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		HeldToken first = logIn(a);
		this.clock.set(renewalDue(first));
		a.session.maintain();
		ScriptedTradovate.Call lost = this.tradovate.last();

		this.shared.expireLease("main");
		b.fleet.keepLeases();
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		b.session.maintain();
		lost.answer(this.tradovate.granted(LIFETIME));

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
		assertThat(this.tradovate.last().accessToken()).isEqualTo(first.accessToken());
		assertThat(this.shared.entry("main").revision()).isEqualTo(2);
		assertThat(b.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(a.tokens.get("main").accessToken()).isEqualTo("token-2");
	}

	@Test
	void aReplicaThatGaveUpItsLeaseIsReplacedWithoutALogin() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		HeldToken first = logIn(a);

		a.fleet.stop();
		b.fleet.keepLeases();
		this.clock.set(renewalDue(first));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		b.session.maintain();

		assertThat(this.shared.holder("main")).isEqualTo("b");
		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.RENEW);
	}

	@Test
	void restartingEveryReplicaCostsNoLogin() {
		HeldToken first = logIn(replica("a"));
		this.shared.expireLease("main");

		TestReplica d = replica("d");
		TestReplica e = replica("e");
		d.session.maintain();
		e.session.maintain();

		assertThat(d.session.token(Duration.ZERO, WAIT).join().accessToken()).isEqualTo(first.accessToken());
		assertThat(e.session.token(Duration.ZERO, WAIT).join().accessToken()).isEqualTo(first.accessToken());
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void aReadAnsweredAfterTheHoldersOwnLoginNeverBringsBackTheExpiredToken() {
		TestReplica a = replica("a");
		HeldToken expired = logIn(a);
		this.clock.advance(LIFETIME);

		// the periodic read takes the record of the expired token, then the holder logs
		// in, then the read's answer arrives
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		this.shared.answerNextReadAfter(a.session::maintain);
		a.fleet.readAll();
		a.session.maintain();

		HeldToken held = a.tokens.get("main");
		assertThat(held).isNotNull();
		assertThat(held.accessToken()).isNotEqualTo(expired.accessToken());
		assertThat(this.tradovate.calls()).hasSize(2);
	}

	@Test
	void whileTheStoreIsDownTheHolderKeepsRenewingAndNobodyLogsIn() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		HeldToken first = logIn(a);
		this.shared.takeDown();
		TestReplica.NANOS.addAndGet(Duration.ofMinutes(1).toNanos());
		a.fleet.keepLeases();
		b.fleet.keepLeases();

		this.clock.set(renewalDue(first));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		a.session.maintain();
		b.session.maintain();
		assertThat(a.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(b.tokens.get("main").accessToken()).isEqualTo(first.accessToken());

		this.clock.set(first.expiresAt());
		assertThatThrownBy(() -> b.session.token(Duration.ZERO, WAIT).join())
			.hasRootCauseInstanceOf(TokenUnavailableException.class)
			.satisfies((error) -> assertThat(((TokenUnavailableException) error.getCause()).reason())
				.isEqualTo(Reason.STORE_UNAVAILABLE));

		this.shared.restore();
		a.fleet.keepLeases();
		a.session.maintain();
		assertThat(b.tokens.get("main").accessToken()).isEqualTo("token-2");
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
	}

	@Test
	void aHolderCutOffFromTheStoreDoesNotLogInWhenItsSessionIsClosed() {
		TestReplica a = replica("a");
		HeldToken first = logIn(a);
		this.shared.takeDown();
		TestReplica.NANOS.addAndGet(Duration.ofMinutes(1).toNanos());

		this.clock.set(renewalDue(first));
		this.tradovate.then(Operation.RENEW, new TradovateAnswer.Expired());
		a.session.maintain();
		a.session.maintain();

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
		assertThat(a.tokens.get("main")).isNull();
	}

	@Test
	void aStoreThatLostItsDataGetsTheTokenBackWithoutALogin() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		HeldToken first = logIn(a);

		this.shared.wipe();
		a.fleet.keepLeases();
		b.fleet.keepLeases();
		b.fleet.readAll();
		a.fleet.readAll();
		a.session.maintain();

		assertThat(this.shared.entry("main").revision()).isEqualTo(first.revision());
		assertThat(this.tradovate.calls()).hasSize(1);
		assertThat(a.session.token(Duration.ZERO, WAIT).join().accessToken()).isEqualTo(first.accessToken());
	}

	@Test
	void aReplicaWithAWrongKeyNeitherTakesTheLeaseNorLogsIn() {
		logIn(replica("a"));
		this.shared.expireLease("main");

		TestReplica wrongKey = TestReplica.on(this.shared.view("w"), this.tradovate, this.clock)
			.keys(TestReplica.keys("other"))
			.start();
		wrongKey.fleet.keepLeases();
		wrongKey.session.maintain();

		assertThat(this.shared.holder("main")).isNull();
		assertThat(wrongKey.session.snapshot().storeProblem()).contains("not configured");
		assertThat(this.tradovate.calls()).hasSize(1);
		TestReplica right = replica("r");
		assertThat(this.shared.holder("main")).isEqualTo("r");
		assertThat(right.tokens.get("main")).isNotNull();
	}

	@Test
	void aReportAtAReplicaWithoutTheLeaseMakesTheHolderCheckOnceAndLogInOnce() {
		TestReplica a = replica("a");
		TestReplica b = replica("b");
		TestReplica c = replica("c");
		HeldToken first = logIn(a);

		this.tradovate.then(Operation.ME, new TradovateAnswer.Expired())
			.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		HeldToken fromB = b.session.report(first.accessToken(), WAIT).join();
		HeldToken fromC = c.session.report(first.accessToken(), WAIT).join();

		assertThat(fromB.accessToken()).isEqualTo("token-2");
		assertThat(fromC.accessToken()).isEqualTo("token-2");
		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.ME, Operation.LOGIN);
	}

}
