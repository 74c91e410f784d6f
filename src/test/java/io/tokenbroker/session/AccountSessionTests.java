package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.store.MemoryStateStore;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.testing.MutableClock;
import io.tokenbroker.tradovate.LoginRequest;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;

import static io.tokenbroker.session.TestReplica.LIFETIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state machine of one account, driven directly: a scripted Tradovate, the test
 * clock, a store kept across "restarts" (a new replica on the same store), no Spring.
 */
class AccountSessionTests {

	private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final MutableClock clock = new MutableClock(T0);

	private final ScriptedTradovate tradovate = new ScriptedTradovate(this.clock);

	private final MemoryStateStore store = new MemoryStateStore("replica-1");

	private TestReplica start() {
		return TestReplica.on(this.store, this.tradovate, this.clock).start();
	}

	private HeldToken loggedIn(TestReplica replica) {
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		return replica.tokens.get("main");
	}

	@Test
	void everyCallerWaitingForTheLoginSharesItsOneCall() {
		TestReplica replica = start();

		CompletableFuture<HeldToken> first = replica.session.token(Duration.ZERO, WAIT);
		CompletableFuture<HeldToken> second = replica.session.token(Duration.ZERO, WAIT);
		assertThat(first).isNotDone();
		this.tradovate.last().answer(this.tradovate.granted(LIFETIME));

		assertThat(first.join().accessToken()).isEqualTo("token-1");
		assertThat(second.join()).isSameAs(first.join());
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void aPenaltyTicketIsResentOnceWithTheIdenticalLogin() {
		TestReplica replica = start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Penalized("ticket-7", Duration.ofSeconds(30), false));
		replica.session.maintain();
		LoginRequest first = this.tradovate.last().request();

		this.clock.advance(Duration.ofSeconds(29));
		replica.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Failed("HTTP 503"));
		replica.session.maintain();
		assertThat(this.tradovate.last().request()).isEqualTo(first.withPenaltyTicket("ticket-7"));

		this.clock.advance(Duration.ofMinutes(1));
		replica.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(3);
		assertThat(this.tradovate.last().request()).isEqualTo(first);
	}

	@Test
	void callsThatNeverReachedTradovateSpendNoneOfItsHourlyLimits() {
		TestReplica replica = start();
		// a first deploy whose egress is wrong: eight logins in a row refused before
		// sending
		for (int attempt = 0; attempt < 8; attempt++) {
			this.tradovate.then(Operation.LOGIN,
					new TradovateAnswer.Unreached("cannot reach Tradovate (connection refused)"));
			replica.session.maintain();
			this.clock.set(replica.session.snapshot().nextAttemptAt());
		}
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(8);
		assertThat(this.store.ledger("failed-logins", 5).used(this.clock.instant())).isZero();

		// the egress fixed: the login goes at the next attempt, not an hour later
		loggedIn(replica);
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(9);
		this.clock.set(replica.session.snapshot().renewAt());
		this.tradovate.then(Operation.RENEW, new TradovateAnswer.Unreached("cannot reach Tradovate (unknown host)"));
		replica.session.maintain();

		assertThat(this.tradovate.calls(Operation.RENEW)).hasSize(1);
		assertThat(this.store.ledger("renewals", 15).used(this.clock.instant())).isZero();
		assertThat(this.store.ledger("failed-logins", 5).used(this.clock.instant())).isZero();
	}

	@Test
	void aRenewalRefusedWith401LogsInOnceAgain() {
		TestReplica replica = start();
		HeldToken first = loggedIn(replica);

		this.clock.set(first.expiresAt().minus(Duration.ofMinutes(10)));
		this.tradovate.then(Operation.RENEW, new TradovateAnswer.Expired())
			.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();

		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.RENEW, Operation.LOGIN);
		assertThat(replica.tokens.get("main").accessToken()).isEqualTo("token-2");
	}

	@Test
	void callersNeverSpendTheRenewalsKeptForTheScheduleAndHearTheTrueWait() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).renewalsPerHour(4, 3).start();
		loggedIn(replica);
		Duration longerThanLeft = LIFETIME.minusSeconds(60);
		this.clock.advance(Duration.ofMinutes(5));

		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		assertThat(replica.session.token(longerThanLeft, WAIT).join().accessToken()).isEqualTo("token-2");
		this.clock.advance(Duration.ofMinutes(5));

		assertThatThrownBy(() -> replica.session.token(longerThanLeft, WAIT).join())
			.hasCauseInstanceOf(TokenUnavailableException.class)
			.cause()
			.satisfies((error) -> {
				TokenUnavailableException unavailable = (TokenUnavailableException) error;
				assertThat(unavailable.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
				// the caller's renewal left the window 55 minutes from now
				assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofMinutes(55));
			});
		this.clock.set(replica.tokens.get("main").expiresAt().minus(Duration.ofMinutes(10)));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		assertThat(replica.tokens.get("main").accessToken()).isEqualTo("token-3");
	}

	@Test
	void aRestartWithAStoreKeyServesTheStoredTokenWithoutCallingTradovate() {
		HeldToken first = loggedIn(start());

		TestReplica restarted = start();

		assertThat(restarted.session.token(Duration.ZERO, WAIT).join().accessToken()).isEqualTo(first.accessToken());
		assertThat(restarted.session.snapshot().lastSuccessAt()).isEqualTo(T0);
		restarted.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.set(first.expiresAt().minus(Duration.ofMinutes(10)));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		restarted.session.maintain();
		assertThat(this.tradovate.last().operation()).isEqualTo(Operation.RENEW);
		assertThat(this.tradovate.last().accessToken()).isEqualTo(first.accessToken());
	}

	@Test
	void theStoreNeverHoldsATokenInClear() {
		HeldToken token = loggedIn(start());

		StoredEntry entry = this.store.read("main");

		assertThat(entry.content()).doesNotContain(token.accessToken())
			.doesNotContain(token.mdAccessToken())
			.doesNotContain("right-password")
			.doesNotContain("api-secret")
			.contains(token.fingerprint());
	}

	@Test
	void withoutAStoreKeyTheTokenIsNotKeptButTheBudgetIs() {
		TestReplica first = TestReplica.on(this.store, this.tradovate, this.clock).keys(TestReplica.keys()).start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Failed("HTTP 500"));
		first.session.maintain();
		this.clock.advance(Duration.ofMinutes(10));
		loggedIn(first);

		TestReplica restarted = TestReplica.on(this.store, this.tradovate, this.clock).keys(TestReplica.keys()).start();

		assertThat(restarted.tokens.get("main")).isNull();
		assertThat(this.store.ledger("failed-logins", 5).used(this.clock.instant())).isEqualTo(1);
		loggedIn(restarted);
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(3);
	}

	@Test
	void aCaptchaCoolDownOutlivesARestart() {
		TestReplica replica = start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Penalized("t", Duration.ofSeconds(60), true));
		replica.session.maintain();

		this.clock.advance(Duration.ofMinutes(59));
		TestReplica restarted = start();
		restarted.session.maintain();
		assertThat(restarted.session.snapshot().state()).isEqualTo(SessionState.CAPTCHA_REQUIRED);
		assertThatThrownBy(() -> restarted.session.token(Duration.ZERO, WAIT).join())
			.hasRootCauseInstanceOf(TokenUnavailableException.class)
			.hasMessageContaining("captcha");
		assertThat(this.tradovate.calls()).hasSize(1);

		this.clock.advance(Duration.ofMinutes(1));
		loggedIn(restarted);
		assertThat(this.tradovate.calls()).hasSize(2);
	}

	@Test
	void refusedCredentialsWaitOutTheirCoolDownUntilTheyChange() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).password("wrong").start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Rejected("Incorrect username or password"));
		replica.session.maintain();

		TestReplica sameCredentials = TestReplica.on(this.store, this.tradovate, this.clock).password("wrong").start();
		sameCredentials.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);

		TestReplica fixed = TestReplica.on(this.store, this.tradovate, this.clock).password("right").start();
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		fixed.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(2);
		assertThat(fixed.tokens.get("main")).isNotNull();
	}

	@Test
	void reloadedCredentialsEndTheCoolDownOfRefusedOnesWithOneLoginEach() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).password("wrong").start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Rejected("Incorrect username or password"));
		replica.session.maintain();
		assertThat(replica.session.snapshot().state()).isEqualTo(SessionState.REJECTED);

		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Rejected("Incorrect username or password"));
		replica.session.credentialsChanged(TestReplica.account("still-wrong"));
		assertThat(this.tradovate.calls()).hasSize(2);
		assertThat(this.tradovate.last().request().password()).isEqualTo("still-wrong");
		this.clock.advance(Duration.ofMinutes(5));
		replica.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(2);

		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.credentialsChanged(TestReplica.account("right"));
		assertThat(this.tradovate.calls()).hasSize(3);
		assertThat(this.tradovate.last().request().password()).isEqualTo("right");
		assertThat(replica.tokens.get("main")).isNotNull();
		assertThat(replica.session.snapshot().state()).isEqualTo(SessionState.VALID);
	}

	@Test
	void reloadedCredentialsLeaveTheTokenServedAndGoWithTheNextLogin() {
		TestReplica replica = start();
		HeldToken first = loggedIn(replica);

		replica.session.credentialsChanged(TestReplica.account("rotated-password"));

		assertThat(this.tradovate.calls()).hasSize(1);
		assertThat(replica.session.token(Duration.ZERO, WAIT).join()).isEqualTo(first);
		this.clock.set(first.expiresAt());
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		assertThat(this.tradovate.last().request().password()).isEqualTo("rotated-password");
	}

	@Test
	void aLoginRefusedAfterItsCredentialsWereReplacedDoesNotCoolTheNewOnesDown() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).password("wrong").start();
		replica.session.maintain();
		replica.session.credentialsChanged(TestReplica.account("right"));
		this.tradovate.last().answer(new TradovateAnswer.Rejected("Incorrect username or password"));
		assertThat(replica.session.snapshot().state()).isEqualTo(SessionState.BACKING_OFF);

		this.clock.advance(Duration.ofMinutes(1));
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(2);
		assertThat(this.tradovate.last().request().password()).isEqualTo("right");
		assertThat(replica.tokens.get("main")).isNotNull();
	}

	@Test
	void aPenaltyTicketForReplacedCredentialsIsDroppedButItsWaitKept() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).password("old").start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Penalized("ticket-7", Duration.ofSeconds(30), false));
		replica.session.maintain();

		replica.session.credentialsChanged(TestReplica.account("new"));
		this.clock.advance(Duration.ofSeconds(29));
		replica.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();

		assertThat(this.tradovate.last().request().password()).isEqualTo("new");
		assertThat(this.tradovate.last().request().penaltyTicket()).isNull();
	}

	@Test
	void aCrashLoopWithAWrongPasswordMakesOneFailedLogin() {
		for (int restart = 0; restart < 8; restart++) {
			TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).password("wrong").start();
			this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Rejected("Incorrect username or password"));
			replica.session.maintain();
			this.clock.advance(Duration.ofSeconds(20));
		}

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
		assertThat(this.store.ledger("failed-logins", 5).used(this.clock.instant())).isEqualTo(1);
	}

	@Test
	void aPenaltyTicketOutlivesARestartWithoutAStoreKey() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock).keys(TestReplica.keys()).start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Penalized("ticket-9", Duration.ofSeconds(30), false));
		replica.session.maintain();
		LoginRequest first = this.tradovate.last().request();
		assertThat(this.store.read("main").content()).doesNotContain("ticket-9");

		this.clock.advance(Duration.ofSeconds(10));
		TestReplica restarted = TestReplica.on(this.store, this.tradovate, this.clock).keys(TestReplica.keys()).start();
		restarted.session.maintain();
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(20));
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		restarted.session.maintain();

		assertThat(this.tradovate.last().request()).isEqualTo(first.withPenaltyTicket("ticket-9"));
	}

	@Test
	void aTokenSealedWithAKeyThatIsNotConfiguredIsNeverServedNorReplacedByALogin() {
		loggedIn(start());

		TestReplica wrongKey = TestReplica.on(this.store, this.tradovate, this.clock)
			.keys(TestReplica.keys("k2"))
			.start();
		wrongKey.session.maintain();

		assertThatThrownBy(() -> wrongKey.session.token(Duration.ZERO, WAIT).join())
			.hasRootCauseInstanceOf(TokenUnavailableException.class)
			.hasMessageContaining("key 'k1', which is not configured");
		assertThat(wrongKey.session.snapshot().storeProblem()).contains("k1");
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void anOperatorMayOrderALoginOverAnUnreadableToken() {
		loggedIn(start());
		TestReplica wrongKey = TestReplica.on(this.store, this.tradovate, this.clock)
			.keys(TestReplica.keys("k2"))
			.start();

		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		HeldToken token = wrongKey.session.actNow().join();

		assertThat(token.accessToken()).isEqualTo("token-2");
		assertThat(wrongKey.session.snapshot().storeProblem()).isNull();
		assertThat(this.store.read("main").revision()).isEqualTo(2);
	}

	@Test
	void keysRotateByAddingAKeyAndMakingItActive() {
		HeldToken first = loggedIn(start());

		TestReplica rotated = TestReplica.on(this.store, this.tradovate, this.clock)
			.keys(TestReplica.keys("k1", "k2"))
			.start();
		assertThat(rotated.tokens.get("main").accessToken()).isEqualTo(first.accessToken());
		rotated.session.maintain();
		assertThat(rotated.session.snapshot().sealedWith()).isEqualTo("k2");

		TestReplica oldKeyDropped = TestReplica.on(this.store, this.tradovate, this.clock)
			.keys(TestReplica.keys("k2"))
			.start();
		assertThat(oldKeyDropped.tokens.get("main").accessToken()).isEqualTo(first.accessToken());
		assertThat(this.tradovate.calls()).hasSize(1);
	}

	@Test
	void aBackOffOutlivesARestart() {
		TestReplica replica = start();
		this.tradovate.then(Operation.LOGIN, new TradovateAnswer.Failed("HTTP 502"));
		replica.session.maintain();
		Instant next = replica.session.snapshot().nextAttemptAt();

		TestReplica restarted = start();
		restarted.session.maintain();
		assertThat(restarted.session.snapshot().nextAttemptAt()).isEqualTo(next);
		assertThat(this.tradovate.calls()).hasSize(1);
		this.clock.set(next);
		loggedIn(restarted);
		assertThat(this.tradovate.calls()).hasSize(2);
	}

	@Test
	void aLivenessCheckFindsAClosedSessionAndLogsInOnce() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock)
			.checkInterval(Duration.ofMinutes(5))
			.start();
		HeldToken first = loggedIn(replica);

		this.clock.advance(Duration.ofMinutes(5));
		this.tradovate.then(Operation.ME, new TradovateAnswer.Expired())
			.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		replica.session.maintain();

		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.ME, Operation.LOGIN);
		assertThat(this.tradovate.calls(Operation.ME).get(0).accessToken()).isEqualTo(first.accessToken());
		assertThat(replica.session.snapshot().lastLoginReason()).isEqualTo("revoked");
		assertThat(this.store.ledger("failed-checks", 10).used(this.clock.instant())).isEqualTo(1);
	}

	@Test
	void anOpenSessionIsCheckedOncePerIntervalAndCostsNothingOfTheAllowance() {
		TestReplica replica = TestReplica.on(this.store, this.tradovate, this.clock)
			.checkInterval(Duration.ofMinutes(5))
			.start();
		loggedIn(replica);

		for (int minute = 1; minute <= 12; minute++) {
			this.clock.advance(Duration.ofMinutes(1));
			this.tradovate.then(Operation.ME, new TradovateAnswer.Identified(42, "trader"));
			replica.session.maintain();
		}

		assertThat(this.tradovate.calls(Operation.ME)).hasSize(2);
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
		assertThat(this.store.ledger("failed-checks", 10).used(this.clock.instant())).isZero();
	}

	@Test
	void reportsOfTheServedTokenShareOneCheckThatReplacesAClosedSession() {
		TestReplica replica = start();
		HeldToken first = loggedIn(replica);

		CompletableFuture<HeldToken> one = replica.session.report(first.accessToken(), WAIT);
		CompletableFuture<HeldToken> two = replica.session.report(first.accessToken(), WAIT);
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(LIFETIME));
		this.tradovate.last().answer(new TradovateAnswer.Expired());

		assertThat(one.join().accessToken()).isEqualTo("token-2");
		assertThat(two.join()).isSameAs(one.join());
		assertThat(this.tradovate.calls()).extracting(ScriptedTradovate.Call::operation)
			.containsExactly(Operation.LOGIN, Operation.ME, Operation.LOGIN);
		assertThat(replica.session.snapshot().lastLoginReason()).isEqualTo("reported");
	}

	@Test
	void aReportOfAnOlderTokenOrOfOneJustCheckedIsAnsweredWithoutACall() {
		TestReplica replica = start();
		HeldToken first = loggedIn(replica);
		this.tradovate.then(Operation.ME, new TradovateAnswer.Identified(42, "trader"));
		assertThat(replica.session.report(first.accessToken(), WAIT).join()).isEqualTo(first);

		// within broker.liveness.recheck-after (3 s) of the check: it answers these too
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(replica.session.report(first.accessToken(), WAIT).join()).isEqualTo(first);
		assertThat(replica.session.report("an-older-token", WAIT).join()).isEqualTo(first);
		assertThat(this.tradovate.calls(Operation.ME)).hasSize(1);

		// later, a session found open may have closed since: checked again
		this.clock.advance(Duration.ofSeconds(2));
		this.tradovate.then(Operation.ME, new TradovateAnswer.Identified(42, "trader"));
		assertThat(replica.session.report(first.accessToken(), WAIT).join()).isEqualTo(first);
		assertThat(this.tradovate.calls(Operation.ME)).hasSize(2);
	}

	@Test
	void failedRenewalsAreRetriedBeforeTheTokenStopsBeingServed() {
		TestReplica replica = start();
		this.tradovate.then(Operation.LOGIN, this.tradovate.granted(Duration.ofSeconds(40)));
		replica.session.maintain();
		HeldToken token = replica.tokens.get("main");
		Instant servedUntil = token.expiresAt().minusSeconds(5);

		this.clock.set(replica.session.snapshot().renewAt());
		for (int attempt = 0; attempt < 4; attempt++) {
			this.tradovate.then(Operation.RENEW, new TradovateAnswer.Failed("HTTP 503"));
			replica.session.maintain();
			Instant next = replica.session.snapshot().nextAttemptAt();
			assertThat(next).isBefore(servedUntil);
			this.clock.set(next);
		}
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(Duration.ofSeconds(40)));
		replica.session.maintain();

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(1);
		assertThat(this.tradovate.calls(Operation.RENEW)).hasSize(5);
		assertThat(replica.tokens.get("main").accessToken()).isNotEqualTo(token.accessToken());
	}

	@Test
	void aTokenTooShortToServeBacksOffInsteadOfLoggingInAgainAndAgain() {
		TestReplica replica = start();
		for (int second = 0; second < 60; second++) {
			this.tradovate.then(Operation.LOGIN, this.tradovate.granted(Duration.ofSeconds(5)));
			replica.session.maintain();
			this.clock.advance(Duration.ofSeconds(1));
		}

		// backing off 2.5-5 s, 5-10 s, 10-20 s, 20-40 s...
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSizeBetween(3, 6);
		assertThat(replica.session.snapshot().lastError()).contains("cannot be served");
	}

	@Test
	void callersForceAtMostOneRenewalPerAccountAndInterval() {
		TestReplica replica = start();
		loggedIn(replica);
		this.clock.advance(Duration.ofMinutes(5));
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		replica.session.token(LIFETIME.minusSeconds(10), WAIT).join();
		this.clock.advance(Duration.ofSeconds(20));

		assertThatThrownBy(() -> replica.session.token(LIFETIME.minusSeconds(10), WAIT).join()).cause()
			.isInstanceOfSatisfying(TokenUnavailableException.class, (unavailable) -> {
				assertThat(unavailable.reason()).isEqualTo(Reason.RENEWAL_LIMITED);
				assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(40));
			});
		assertThat(this.tradovate.calls(Operation.RENEW)).hasSize(1);
	}

	@Test
	void aClientScopedToOneAccountCannotSpendWhatOtherAccountsAndOperatorsNeed() {
		TestReplica a = TestReplica.on(this.store, this.tradovate, this.clock).account("a").start();
		TestReplica b = TestReplica.on(this.store, this.tradovate, this.clock).account("b").start();
		loggedIn(a);
		loggedIn(b);
		Duration longerThanLeft = LIFETIME.minusSeconds(60);

		int forced = 0;
		TokenUnavailableException refused = null;
		while (refused == null && forced < 15) {
			this.clock.advance(Duration.ofSeconds(61));
			this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
			try {
				a.session.token(longerThanLeft, WAIT, "alpha").join();
				forced++;
			}
			catch (CompletionException ex) {
				refused = (TokenUnavailableException) ex.getCause();
			}
		}
		int spent = this.store.ledger("renewals", 15).used(this.clock.instant());
		Throwable otherClient = a.session.token(longerThanLeft, WAIT, "gamma").handle((token, error) -> error).join();

		assertThat(forced).isEqualTo(4);
		assertThat(refused.reason()).isEqualTo(Reason.RENEWAL_LIMITED);
		assertThat(refused.getMessage()).contains("client alpha forced 4 renewals");
		assertThat(otherClient).cause().hasMessageContaining("callers of this account forced 4 renewals");
		assertThat(this.store.ledger("renewals", 15).used(this.clock.instant())).isEqualTo(spent).isEqualTo(4);
		assertThat(b.session.token(longerThanLeft, WAIT, "beta").join().accessToken()).isNotNull();
		this.tradovate.then(Operation.RENEW, this.tradovate.granted(LIFETIME));
		assertThat(b.session.actNow().join()).isNotNull();
		assertThat(this.tradovate.calls(Operation.RENEW)).hasSize(6);
	}

	@Test
	void loginsInFlightAreNotFailuresSoMoreAccountsThanTheAllowanceAllLogInPromptly() {
		List<TestReplica> accounts = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			accounts.add(TestReplica.on(this.store, this.tradovate, this.clock).account("acct-" + i).start());
		}
		accounts.forEach((account) -> account.session.maintain());
		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(5);
		assertThat(accounts.get(6).session.snapshot().nextAttemptAt()).isNull();

		this.tradovate.calls(Operation.LOGIN).forEach((call) -> call.answer(this.tradovate.granted(LIFETIME)));
		accounts.forEach((account) -> account.session.maintain());
		this.tradovate.calls(Operation.LOGIN).forEach((call) -> call.answer(this.tradovate.granted(LIFETIME)));

		assertThat(this.tradovate.calls(Operation.LOGIN)).hasSize(7);
		assertThat(accounts).allMatch((account) -> account.session.snapshot().expiresAt() != null);
		assertThat(this.store.ledger("failed-logins", 5).used(this.clock.instant())).isZero();
	}

}
