package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.session.SessionAction.ActAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskHolder;
import io.tokenbroker.session.SessionAction.AwaitHolder;
import io.tokenbroker.session.SessionAction.Call;
import io.tokenbroker.session.SessionAction.DropToken;
import io.tokenbroker.session.SessionAction.FailAwaited;
import io.tokenbroker.session.SessionAction.JoinCall;
import io.tokenbroker.session.SessionAction.LoginStarted;
import io.tokenbroker.session.SessionAction.Offer;
import io.tokenbroker.session.SessionAction.PutToken;
import io.tokenbroker.session.SessionAction.Read;
import io.tokenbroker.session.SessionAction.Refuse;
import io.tokenbroker.session.SessionAction.RemoveToken;
import io.tokenbroker.session.SessionAction.Serve;
import io.tokenbroker.session.SessionAction.SessionChecked;
import io.tokenbroker.session.SessionAction.Settle;
import io.tokenbroker.session.SessionAction.Spend;
import io.tokenbroker.session.SessionAction.StoredTokenUnreadable;
import io.tokenbroker.session.SessionAction.WaitImposed;
import io.tokenbroker.session.SessionAction.WakeAwaited;
import io.tokenbroker.session.SessionAction.WakeSchedule;
import io.tokenbroker.session.SessionAction.Write;
import io.tokenbroker.session.SessionEvent.ActNow;
import io.tokenbroker.session.SessionEvent.Allowance;
import io.tokenbroker.session.SessionEvent.Answered;
import io.tokenbroker.session.SessionEvent.BudgetRefused;
import io.tokenbroker.session.SessionEvent.HolderFailed;
import io.tokenbroker.session.SessionEvent.Moment;
import io.tokenbroker.session.SessionEvent.Offered;
import io.tokenbroker.session.SessionEvent.Permitted;
import io.tokenbroker.session.SessionEvent.Reported;
import io.tokenbroker.session.SessionEvent.ReportedByPeer;
import io.tokenbroker.session.SessionEvent.Reread;
import io.tokenbroker.session.SessionEvent.StoreRead;
import io.tokenbroker.session.SessionEvent.Tick;
import io.tokenbroker.session.SessionEvent.TokenWanted;
import io.tokenbroker.session.SessionEvent.Written;
import io.tokenbroker.session.SessionModel.Verified;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.WriteOutcome;
import io.tokenbroker.tradovate.IssuedToken;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;

import static io.tokenbroker.session.DecisionRow.ACCOUNT;
import static io.tokenbroker.session.DecisionRow.EMPTY;
import static io.tokenbroker.session.DecisionRow.FORM;
import static io.tokenbroker.session.DecisionRow.LIFETIME;
import static io.tokenbroker.session.DecisionRow.LOGIN;
import static io.tokenbroker.session.DecisionRow.OTHER_CREDENTIALS;
import static io.tokenbroker.session.DecisionRow.POLICY;
import static io.tokenbroker.session.DecisionRow.RENEW_AT;
import static io.tokenbroker.session.DecisionRow.SERVING;
import static io.tokenbroker.session.DecisionRow.T0;
import static io.tokenbroker.session.DecisionRow.TOKEN;
import static io.tokenbroker.session.DecisionRow.WITHOUT_STORE_KEY;
import static io.tokenbroker.session.DecisionRow.debug;
import static io.tokenbroker.session.DecisionRow.error;
import static io.tokenbroker.session.DecisionRow.info;
import static io.tokenbroker.session.DecisionRow.row;
import static io.tokenbroker.session.DecisionRow.stored;
import static io.tokenbroker.session.DecisionRow.token;
import static io.tokenbroker.session.DecisionRow.warn;
import static io.tokenbroker.session.DecisionRow.writes;
import static io.tokenbroker.session.LeaseState.MINE;
import static io.tokenbroker.session.LeaseState.MINE_UNCONFIRMED;
import static io.tokenbroker.session.LeaseState.THEIRS;
import static io.tokenbroker.session.LeaseState.THEIRS_UNCONFIRMED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions of one account's session, one row per model, event and lease: the next
 * model and every action, log lines and texts callers read included. Pure: no Spring, no
 * clock, no store; the shell's tests ({@link AccountSessionTests},
 * {@link FleetLifecycleTests}) and a few tests over HTTP cover the rest.
 */
class SessionDecisionTableTests {

	private static final String FP = TOKEN.fingerprint();

	private static final HourlyLedger.Permit PERMIT = new HourlyLedger.Permit("permit-1", T0, T0.plusSeconds(20));

	private static final String WHY = "the stored token 0badf00d cannot be opened: it was sealed with key 'k9', which "
			+ "is not configured (broker.store.keys.k9)";

	private static final String CAPTCHA = "Tradovate demands a captcha: a person must log in once on Tradovate's web "
			+ "platform, then an operator can resume the broker";

	private static final Settle LOGIN_FREE = new Settle(Operation.LOGIN, PERMIT, false);

	private static final Settle LOGIN_COUNTED = new Settle(Operation.LOGIN, PERMIT, true);

	private static final Settle CHECK_COUNTED = new Settle(Operation.ME, PERMIT, true);

	private static final WakeSchedule WAKE = new WakeSchedule();

	/** A token of 10 s: served for 5 s. */
	private static final HeldToken SHORT = token(1, "access-short", T0, Duration.ofSeconds(10));

	private static final Call LOGIN_CALL = new Call(new CallPlan.Login(LoginReason.SCHEDULED), PERMIT, LOGIN);

	private static final Call RENEWAL_CALL = new Call(new CallPlan.Renewal(TOKEN, 0, false), PERMIT, null);

	private static final Call CHECK_CALL = new Call(new CallPlan.Check(TOKEN, LoginReason.REVOKED), PERMIT, null);

	/** Waits out a failed login until T0 + 10 s. */
	private static final SessionModel BACKING_OFF = stored(EMPTY, AccountRecord.NEW.failed(SessionState.BACKING_OFF,
			new Failure(Reason.UPSTREAM_FAILED, "login failed: HTTP 503", T0), T0.plusSeconds(10), 1));

	/** A captcha demanded at T0: no call before T0 + 1 h. */
	private static final SessionModel CAPTCHA_DEMANDED = stored(EMPTY,
			AccountRecord.NEW.failed(SessionState.CAPTCHA_REQUIRED, new Failure(Reason.CAPTCHA_REQUIRED, CAPTCHA, T0),
					T0.plus(Duration.ofHours(1)), 1));

	private static final PendingTicket TICKET = new PendingTicket(LOGIN, "ticket-7");

	private static final String PENALTY = "Tradovate imposed a penalty wait of 30 s; the broker then resends the "
			+ "login with its ticket";

	/** A penalty ticket issued at T0 for the first login: resent at T0 + 30 s. */
	private static final SessionModel PENALIZED = stored(EMPTY.withTicket(TICKET),
			AccountRecord.NEW
				.failed(SessionState.PENALIZED, new Failure(Reason.PENALIZED, PENALTY, T0), T0.plusSeconds(30), 0)
				.withTicket(FORM.seal(TICKET)));

	/** A renewal failed at its time: retried 3.75 s later, the token served meanwhile. */
	private static final SessionModel RENEWAL_BACKING_OFF = stored(SERVING, SERVING.record()
		.failed(SessionState.BACKING_OFF, new Failure(Reason.UPSTREAM_FAILED, "renewal failed: HTTP 503", RENEW_AT),
				RENEW_AT.plusMillis(3750), 1));

	/** A renewal answered 429: no call for an hour, the token served while it lasts. */
	private static final SessionModel LOCKED_OUT_SERVING = stored(SERVING,
			SERVING.record()
				.failed(SessionState.LOCKED_OUT,
						new Failure(Reason.LOCKED_OUT, "Tradovate locked this client out (HTTP 429)", RENEW_AT),
						RENEW_AT.plus(Duration.ofHours(1)), 1));

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void decides(DecisionRow row) {
		row.verify();
	}

	static Stream<DecisionRow> rows() {
		return ROWS.stream();
	}

	@Test
	void aHundredRowsAtLeast() {
		assertThat(rows().count()).isGreaterThanOrEqualTo(100);
	}

	@Test
	void everyAnswerToEveryCallHasARow() {
		Set<String> answered = rows().map(DecisionRow::event)
			.filter(Answered.class::isInstance)
			.map(Answered.class::cast)
			.map((event) -> event.call().plan().operation() + " " + event.answer().getClass().getSimpleName())
			.collect(Collectors.toSet());
		for (Operation operation : Operation.values()) {
			for (Class<?> kind : TradovateAnswer.class.getPermittedSubclasses()) {
				assertThat(answered).contains(operation + " " + kind.getSimpleName());
			}
		}
	}

	@Test
	void everyLeaseMeetsTheRequestsAndTheTick() {
		for (Class<?> event : List.of(Tick.class, TokenWanted.class, Reported.class, ActNow.class)) {
			Set<LeaseState> leases = rows().map(DecisionRow::event)
				.filter(event::isInstance)
				.map((happened) -> happened.at().lease())
				.collect(Collectors.toSet());
			assertThat(leases).as(event.getSimpleName()).containsAll(List.of(LeaseState.values()));
		}
	}

	private static Function<Moment, SessionEvent> tick() {
		return Tick::new;
	}

	private static Function<Moment, SessionEvent> wanted(Duration minValidity) {
		return (at) -> new TokenWanted(at, minValidity);
	}

	private static Function<Moment, SessionEvent> answered(Call call, TradovateAnswer answer) {
		return (at) -> new Answered(at, call, answer);
	}

	private static Spend spendLogin(LoginReason reason, Instant now) {
		return new Spend(new CallPlan.Login(reason), now.plusSeconds(20));
	}

	private static Refuse refuse(Reason reason, String detail, Duration retryAfter) {
		return new Refuse(new Refusal(reason, detail, retryAfter));
	}

	private static final Refuse NO_LEASE_TO_LOG_IN = refuse(Reason.STORE_UNAVAILABLE,
			"no token is held and the state store does not confirm this replica's lease; a login waits for it, as it "
					+ "could otherwise open another session",
			Duration.ofSeconds(1));

	static List<DecisionRow> ticks() {
		SessionModel sealedWithOldKey = stored(SERVING,
				SERVING.record().resealed(DecisionRow.ReadableForm.sealWith("k0", TOKEN)));
		return List.of(
				row("tick, no token, lease mine: a login, counted against the failed logins").when(tick())
					.acts(spendLogin(LoginReason.SCHEDULED, T0)),
				row("tick, no token, lease not confirmed: no login, which could open another session").when(tick())
					.lease(MINE_UNCONFIRMED)
					.acts(NO_LEASE_TO_LOG_IN),
				row("tick, no token, lease theirs: nothing, the holder logs in").when(tick()).lease(THEIRS),
				row("tick, no token, lease theirs and the store silent: nothing").when(tick())
					.lease(THEIRS_UNCONFIRMED),
				row("tick, token before its renewal and its check: nothing").given(SERVING)
					.at(T0.plusSeconds(60))
					.when(tick()),
				row("tick, token at its renewal time: a renewal, nothing kept back").given(SERVING)
					.at(RENEW_AT)
					.when(tick())
					.acts(new Spend(new CallPlan.Renewal(TOKEN, 0, false), null)),
				row("tick, renewal due, lease not confirmed: the holder keeps renewing").given(SERVING)
					.at(RENEW_AT)
					.lease(MINE_UNCONFIRMED)
					.when(tick())
					.acts(new Spend(new CallPlan.Renewal(TOKEN, 0, false), null)),
				row("tick, renewal due, lease theirs: nothing").given(SERVING).at(RENEW_AT).lease(THEIRS).when(tick()),
				row("tick, check interval passed since the login: the session is checked").given(SERVING)
					.at(T0.plus(Duration.ofMinutes(5)))
					.when(tick())
					.acts(new Spend(new CallPlan.Check(TOKEN, LoginReason.REVOKED),
							T0.plus(Duration.ofMinutes(5)).plusSeconds(20))),
				row("tick, check due but checks wait after a failed one: nothing")
					.given(SERVING.withChecksResumeAt(T0.plus(Duration.ofMinutes(6))))
					.at(T0.plus(Duration.ofMinutes(5)))
					.when(tick()),
				row("tick, session confirmed open 2 minutes ago: no check yet")
					.given(stored(SERVING, SERVING.record().withCheckedAt(T0.plus(Duration.ofMinutes(3)))))
					.at(T0.plus(Duration.ofMinutes(5)))
					.when(tick()),
				row("tick, token sealed with an old key: sealed anew with the active one").given(sealedWithOldKey)
					.at(T0.plusSeconds(60))
					.when(tick())
					.then((model) -> model.withRecord(SERVING.record()).withStore(model.store().changed()))
					.acts(info("sealing token " + FP + " anew with the active store key"), writes(null)),
				row("tick, a renewal in flight: nothing").given(SERVING.withCalling(SessionState.RENEWING))
					.at(RENEW_AT)
					.when(tick()),
				row("tick, during a back-off: nothing").given(BACKING_OFF).at(T0.plusSeconds(5)).when(tick()),
				row("tick, back-off over: a login").given(BACKING_OFF)
					.at(T0.plusSeconds(10))
					.when(tick())
					.acts(spendLogin(LoginReason.SCHEDULED, T0.plusSeconds(10))),
				row("tick, the token lapsed: a login, because it expired").given(SERVING)
					.at(T0.plus(LIFETIME))
					.when(tick())
					.acts(spendLogin(LoginReason.EXPIRED, T0.plus(LIFETIME))),
				row("tick, no token since Tradovate revoked it: a login, because it was revoked")
					.given(EMPTY.withNextLoginReason(LoginReason.REVOKED))
					.when(tick())
					.acts(spendLogin(LoginReason.REVOKED, T0)),
				row("tick, the stored token cannot be read: nothing, a login would open another session")
					.given(EMPTY.withUnreadable(WHY))
					.when(tick()),
				row("tick, a record the store missed: written first, then the tick goes on")
					.given(SERVING.withStore(SERVING.store().withUnsaved(true)))
					.at(T0.plusSeconds(60))
					.when(tick())
					.then((model) -> model.withStore(model.store().changed()))
					.acts(writes(new AfterCommit.Maintain())),
				row("tick, a record the store missed, lease theirs: nothing")
					.given(SERVING.withStore(SERVING.store().withUnsaved(true)))
					.lease(THEIRS)
					.when(tick()),
				row("tick, during a captcha cool-down: nothing").given(CAPTCHA_DEMANDED)
					.at(T0.plus(Duration.ofMinutes(30)))
					.when(tick()),
				row("tick, the captcha cool-down over: a login").given(CAPTCHA_DEMANDED)
					.at(T0.plus(Duration.ofHours(1)))
					.when(tick())
					.acts(spendLogin(LoginReason.SCHEDULED, T0.plus(Duration.ofHours(1)))),
				row("tick, during a renewal's back-off: nothing").given(RENEWAL_BACKING_OFF)
					.at(RENEW_AT.plusSeconds(1))
					.when(tick()),
				row("tick, a renewal's back-off over, the token still served: the renewal again, no login")
					.given(RENEWAL_BACKING_OFF)
					.at(RENEW_AT.plusMillis(3750))
					.when(tick())
					.acts(new Spend(new CallPlan.Renewal(TOKEN, 0, false), null)),
				row("tick, locked out with the token served: nothing").given(LOCKED_OUT_SERVING)
					.at(RENEW_AT.plusSeconds(60))
					.when(tick()),
				row("tick, the lock-out over, the token lapsed meanwhile: one login").given(LOCKED_OUT_SERVING)
					.at(RENEW_AT.plus(Duration.ofHours(1)))
					.when(tick())
					.acts(spendLogin(LoginReason.EXPIRED, RENEW_AT.plus(Duration.ofHours(1)))),
				row("tick, a 10 s token 1.25 s before it stops being served: renewed, not replaced by a login")
					.given(stored(EMPTY.withCached(SHORT),
							AccountRecord.NEW.granted(1, FORM.seal(SHORT), POLICY.renewAt(SHORT), T0,
									LoginReason.SCHEDULED)))
					.at(T0.plusMillis(3750))
					.when(tick())
					.acts(new Spend(new CallPlan.Renewal(SHORT, 0, false), null)));
	}

	static List<DecisionRow> tokensWanted() {
		Instant later = T0.plus(Duration.ofMinutes(20));
		Duration seventy = Duration.ofMinutes(70);
		return List.of(
				row("token wanted, one valid long enough: served").given(SERVING)
					.at(T0.plusSeconds(60))
					.when(wanted(Duration.ZERO))
					.acts(new Serve(TOKEN)),
				row("token wanted for 60 minutes, 79 left: served").given(SERVING)
					.at(T0.plusSeconds(60))
					.when(wanted(Duration.ofMinutes(60)))
					.acts(new Serve(TOKEN)),
				row("token wanted, lease theirs: the token held is served").given(SERVING)
					.lease(THEIRS)
					.when(wanted(Duration.ZERO))
					.acts(new Serve(TOKEN)),
				row("token wanted for longer than is left: a forced renewal, the schedule's 3 kept").given(SERVING)
					.at(later)
					.when(wanted(seventy))
					.acts(new Spend(new CallPlan.Renewal(TOKEN, 3, true), null)),
				row("token wanted for as long as tokens live: refused, no renewal gives it").given(SERVING)
					.at(T0.plusSeconds(60))
					.when(wanted(LIFETIME))
					.acts(refuse(Reason.LIFETIME_TOO_SHORT,
							"Tradovate's tokens live 4800 s, so a token valid for 4800 s cannot be had",
							Duration.ofSeconds(1))),
				row("token wanted, forced renewal 20 s after the last: refused until the interval ends")
					.given(stored(SERVING, SERVING.record().withForcedRenewalAt(later.minusSeconds(20))))
					.at(later)
					.when(wanted(seventy))
					.acts(refuse(Reason.RENEWAL_LIMITED,
							"a caller forced a renewal of this account at 2026-01-15T08:19:40Z; the next one a caller "
									+ "may force is at 2026-01-15T08:20:40Z (broker.renewal.forced-interval)",
							Duration.ofSeconds(40))),
				row("token wanted for longer, lease theirs: the holder is asked to renew, its token awaited")
					.given(SERVING)
					.at(later)
					.lease(THEIRS)
					.when(wanted(seventy))
					.then((model) -> model.withAwaitedAfter(1L))
					.acts(new AwaitHolder(), new AskHolder(new PeerRequest(PeerRequest.RENEW, 4200, null))),
				row("token wanted for longer, lease theirs, others await already: no second request")
					.given(SERVING.withAwaitedAfter(1L))
					.at(later)
					.lease(THEIRS)
					.when(wanted(seventy))
					.acts(new AwaitHolder()),
				row("token wanted for longer, lease theirs, the store silent: the holder is asked all the same")
					.given(SERVING)
					.at(later)
					.lease(THEIRS_UNCONFIRMED)
					.when(wanted(seventy))
					.then((model) -> model.withAwaitedAfter(1L))
					.acts(new AwaitHolder(), new AskHolder(new PeerRequest(PeerRequest.RENEW, 4200, null))),
				row("token wanted, none held, lease theirs: the holder's first token awaited").lease(THEIRS)
					.when(wanted(Duration.ZERO))
					.then((model) -> model.withAwaitedAfter(0L))
					.acts(new AwaitHolder()),
				row("token wanted, none held, lease theirs, the store silent: refused, never a login of its own")
					.lease(THEIRS_UNCONFIRMED)
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.STORE_UNAVAILABLE,
							"this replica holds no token and cannot reach the state store that would give it one; it "
									+ "never logs in on its own, as that could open another session",
							Duration.ofSeconds(1))),
				row("token wanted, none held, lease mine: a login").when(wanted(Duration.ZERO))
					.acts(spendLogin(LoginReason.SCHEDULED, T0)),
				row("token wanted, none held, lease not confirmed: refused").lease(MINE_UNCONFIRMED)
					.when(wanted(Duration.ZERO))
					.acts(NO_LEASE_TO_LOG_IN),
				row("token wanted, a login in flight: joined").given(EMPTY.withCalling(SessionState.LOGGING_IN))
					.when(wanted(Duration.ZERO))
					.acts(new JoinCall()),
				row("token wanted for longer, a renewal in flight: joined")
					.given(SERVING.withCalling(SessionState.RENEWING))
					.at(later)
					.when(wanted(seventy))
					.acts(new JoinCall()),
				row("token wanted for longer, a check in flight: asked again once it answers")
					.given(SERVING.withCalling(SessionState.CHECKING))
					.at(later)
					.when(wanted(seventy))
					.acts(new AskAgainAfterCall(seventy)),
				row("token wanted, the stored token cannot be read: refused, saying why")
					.given(EMPTY.withUnreadable(WHY))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.STORE_UNREADABLE,
							"the token kept in the state store cannot be read (" + WHY
									+ "); an operator must configure the key that sealed it",
							Duration.ofMinutes(1))),
				row("token wanted during a back-off: refused until the next attempt").given(BACKING_OFF)
					.at(T0.plusSeconds(2))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.UPSTREAM_FAILED,
							"login failed: HTTP 503; next attempt at 2026-01-15T08:00:10Z (in 8 s)",
							Duration.ofSeconds(8))),
				row("token wanted during a back-off, lease theirs: refused the same").given(BACKING_OFF)
					.at(T0.plusSeconds(2))
					.lease(THEIRS)
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.UPSTREAM_FAILED,
							"login failed: HTTP 503; next attempt at 2026-01-15T08:00:10Z (in 8 s)",
							Duration.ofSeconds(8))),
				row("token wanted during a captcha cool-down: refused, saying a person must act")
					.given(CAPTCHA_DEMANDED)
					.at(T0.plus(Duration.ofMinutes(30)))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.CAPTCHA_REQUIRED,
							CAPTCHA + "; next attempt at 2026-01-15T09:00:00Z (in 1800 s)", Duration.ofMinutes(30))),
				row("token wanted during a renewal's back-off: the token still served").given(RENEWAL_BACKING_OFF)
					.at(RENEW_AT.plusSeconds(1))
					.when(wanted(Duration.ZERO))
					.acts(new Serve(TOKEN)),
				row("token wanted while locked out, a token held: served").given(LOCKED_OUT_SERVING)
					.at(RENEW_AT.plusSeconds(60))
					.when(wanted(Duration.ZERO))
					.acts(new Serve(TOKEN)),
				row("token wanted during a penalty wait: refused, penalized, until the wait ends").given(PENALIZED)
					.at(T0.plusSeconds(10))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.PENALIZED, PENALTY + "; next attempt at 2026-01-15T08:00:30Z (in 20 s)",
							Duration.ofSeconds(20))),
				row("token wanted after a login answered 423: refused, locked out, saying so")
					.given(stored(EMPTY,
							AccountRecord.NEW.failed(SessionState.LOCKED_OUT,
									new Failure(Reason.LOCKED_OUT, "Tradovate warns of an imminent lock-out (HTTP 423)",
											T0),
									T0.plus(Duration.ofHours(1)), 1)))
					.at(T0.plusSeconds(60))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.LOCKED_OUT,
							"Tradovate warns of an imminent lock-out (HTTP 423); next "
									+ "attempt at 2026-01-15T09:00:00Z (in 3540 s)",
							Duration.ofMinutes(59))),
				row("token wanted after the credentials were refused: refused, in Tradovate's words")
					.given(stored(EMPTY,
							AccountRecord.NEW
								.failed(SessionState.REJECTED,
										new Failure(Reason.CREDENTIALS_REJECTED,
												"Tradovate refused the login (Incorrect username or password)", T0),
										T0.plus(Duration.ofHours(1)), 1)
								.withRefusedCredentials(ACCOUNT.credentials().fingerprint())))
					.at(T0.plus(Duration.ofMinutes(30)))
					.when(wanted(Duration.ZERO))
					.acts(refuse(Reason.CREDENTIALS_REJECTED,
							"Tradovate refused the login (Incorrect username or password); next attempt at "
									+ "2026-01-15T09:00:00Z (in 1800 s)",
							Duration.ofMinutes(30))),
				row("token wanted once the back-off is over: a login").given(BACKING_OFF)
					.at(T0.plusSeconds(10))
					.when(wanted(Duration.ZERO))
					.acts(spendLogin(LoginReason.SCHEDULED, T0.plusSeconds(10))));
	}

	static List<DecisionRow> reports() {
		Instant now = T0.plusSeconds(60);
		Spend check = new Spend(new CallPlan.Check(TOKEN, LoginReason.REPORTED), now.plusSeconds(20));
		DecisionRow.Line checking = info("a caller reports token " + FP + " refused; checking its session");
		return List.of(
				row("report of the token served: its session is checked").given(SERVING)
					.at(now)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.acts(checking, check),
				row("report of the token served, with a line break: the same token").given(SERVING)
					.at(now)
					.when((at) -> new Reported(at, TOKEN.accessToken() + "\n"))
					.acts(checking, check),
				row("report of another token: the one served").given(SERVING)
					.at(now)
					.when((at) -> new Reported(at, "a-token-from-yesterday"))
					.acts(new Serve(TOKEN)),
				row("report of a token found open 10 s ago: served, no check")
					.given(SERVING.withVerified(new Verified(FP, now.minusSeconds(10))))
					.at(now)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.acts(new Serve(TOKEN)),
				row("report of a token found open 30 s ago: checked again")
					.given(SERVING.withVerified(new Verified(FP, now.minusSeconds(30))))
					.at(now)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.acts(checking, check),
				row("report during a renewal: joins it").given(SERVING.withCalling(SessionState.RENEWING))
					.at(now)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.acts(new JoinCall()),
				row("report, lease theirs: the holder is asked to check").given(SERVING)
					.at(now)
					.lease(THEIRS)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.then((model) -> model.withAwaitedAfter(1L))
					.acts(new AwaitHolder(), new AskHolder(new PeerRequest(PeerRequest.VERIFY, 0, FP))),
				row("report, lease theirs and the store silent: the holder is asked all the same").given(SERVING)
					.at(now)
					.lease(THEIRS_UNCONFIRMED)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.then((model) -> model.withAwaitedAfter(1L))
					.acts(new AwaitHolder(), new AskHolder(new PeerRequest(PeerRequest.VERIFY, 0, FP))),
				row("report, lease not confirmed: the holder checks (a check opens no session)").given(SERVING)
					.at(now)
					.lease(MINE_UNCONFIRMED)
					.when((at) -> new Reported(at, TOKEN.accessToken()))
					.acts(checking, check),
				row("report with no token held: a login").when((at) -> new Reported(at, "some-token"))
					.acts(spendLogin(LoginReason.SCHEDULED, T0)),
				row("another replica reports the token served: checked").given(SERVING)
					.at(now)
					.when((at) -> new ReportedByPeer(at, FP))
					.acts(checking, check),
				row("another replica reports an older token: the one served").given(SERVING)
					.at(now)
					.when((at) -> new ReportedByPeer(at, "0badf00d"))
					.acts(new Serve(TOKEN)));
	}

	static List<DecisionRow> operatorOrders() {
		UnaryOperator<SessionModel> waitEnded = (model) -> model.withRecord(model.record().waitEnded());
		DecisionRow.Line ordered = info("an operator asked to act now");
		return List.of(
				row("act now with a token: a renewal within the callers' share").given(SERVING)
					.at(T0.plusSeconds(60))
					.when(ActNow::new)
					.then(waitEnded)
					.acts(ordered, new Spend(new CallPlan.Renewal(TOKEN, 3, false), null)),
				row("act now during a captcha cool-down: the wait ends, a login").given(CAPTCHA_DEMANDED)
					.at(T0.plus(Duration.ofMinutes(10)))
					.when(ActNow::new)
					.then(waitEnded)
					.acts(info("an operator asked to act now, ending the wait until 2026-01-15T09:00:00Z"),
							spendLogin(LoginReason.OPERATOR, T0.plus(Duration.ofMinutes(10)))),
				row("act now over an unreadable token: a login, the old session left open")
					.given(EMPTY.withUnreadable(WHY))
					.when(ActNow::new)
					.then((model) -> waitEnded.apply(model.withUnreadable(null)))
					.acts(ordered,
							warn("logging in although the stored token cannot be read (" + WHY
									+ "); its session stays open at Tradovate until it expires"),
							spendLogin(LoginReason.OPERATOR, T0)),
				row("act now during a check: given again once it answers")
					.given(SERVING.withCalling(SessionState.CHECKING))
					.when(ActNow::new)
					.acts(new ActAgainAfterCall()),
				row("act now during a login: joins it").given(EMPTY.withCalling(SessionState.LOGGING_IN))
					.when(ActNow::new)
					.acts(new JoinCall()),
				row("act now, lease theirs: passed to the holder").given(SERVING)
					.lease(THEIRS)
					.when(ActNow::new)
					.then((model) -> model.withAwaitedAfter(1L))
					.acts(new AwaitHolder(), new AskHolder(new PeerRequest(PeerRequest.ACT_NOW, 0, null))),
				row("act now, lease theirs, the store silent, no token: refused").lease(THEIRS_UNCONFIRMED)
					.when(ActNow::new)
					.acts(refuse(Reason.STORE_UNAVAILABLE,
							"this replica holds no token and cannot reach the state store that would give it one; it "
									+ "never logs in on its own, as that could open another session",
							Duration.ofSeconds(1))),
				row("act now without a token, lease not confirmed: no login").lease(MINE_UNCONFIRMED)
					.when(ActNow::new)
					.then(waitEnded)
					.acts(ordered, NO_LEASE_TO_LOG_IN),
				row("act now with a token, lease not confirmed: the renewal goes").given(SERVING)
					.lease(MINE_UNCONFIRMED)
					.when(ActNow::new)
					.then(waitEnded)
					.acts(ordered, new Spend(new CallPlan.Renewal(TOKEN, 3, false), null)));
	}

	static List<DecisionRow> holderFailures() {
		Refusal failed = new Refusal(Reason.BUDGET_EXHAUSTED, "the holder's budget is spent", Duration.ofMinutes(5));
		return List.of(
				row("the holder failed: the callers awaiting its token hear why").given(SERVING.withAwaitedAfter(1L))
					.lease(THEIRS)
					.when((at) -> new HolderFailed(at, failed))
					.then((model) -> model.withAwaitedAfter(null))
					.acts(new FailAwaited(failed)),
				row("the holder failed, nobody awaits: nothing").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new HolderFailed(at, failed)));
	}

	static List<DecisionRow> permits() {
		CallPlan.Login login = new CallPlan.Login(LoginReason.SCHEDULED);
		DecisionRow.Line loggingIn = info("logging in to https://demo.tradovateapi.com/v1 (scheduled)");
		CallPlan.Renewal forced = new CallPlan.Renewal(TOKEN, 3, true);
		CallPlan.Check check = new CallPlan.Check(TOKEN, LoginReason.REVOKED);
		return List.of(row("login counted: sent, its callers join it").when((at) -> new Permitted(at, login, PERMIT))
			.then((model) -> model.withCalling(SessionState.LOGGING_IN))
			.acts(loggingIn, new LoginStarted(LoginReason.SCHEDULED), new JoinCall(), new Call(login, PERMIT, LOGIN)),
				row("login counted after waiting for the allowance: no longer waiting")
					.given(EMPTY.withWaitingForAllowance(true))
					.when((at) -> new Permitted(at, login, PERMIT))
					.then((model) -> model.withCalling(SessionState.LOGGING_IN).withWaitingForAllowance(false))
					.acts(loggingIn, new LoginStarted(LoginReason.SCHEDULED), new JoinCall(),
							new Call(login, PERMIT, LOGIN)),
				row("login with a penalty ticket: the ticket is forgotten and written so before it is sent")
					.given(PENALIZED)
					.at(T0.plusSeconds(30))
					.when((at) -> new Permitted(at, login, PERMIT))
					.then((model) -> model.withTicket(null)
						.withRecord(model.record().withTicket(null))
						.withStore(model.store().changed())
						.withCalling(SessionState.LOGGING_IN))
					.acts(info("logging in to https://demo.tradovateapi.com/v1 (scheduled) with the penalty ticket"),
							new LoginStarted(LoginReason.SCHEDULED), writes(null), new JoinCall(),
							new Call(login, PERMIT, LOGIN.withPenaltyTicket("ticket-7"))),
				row("renewal counted: sent").given(SERVING)
					.at(RENEW_AT)
					.when((at) -> new Permitted(at, RENEWAL_CALL.plan(), PERMIT))
					.then((model) -> model.withCalling(SessionState.RENEWING))
					.acts(debug("renewing token " + FP + " (expires at 2026-01-15T09:20:00Z)"), new JoinCall(),
							RENEWAL_CALL),
				row("forced renewal counted: the account's forced renewal is written before it goes").given(SERVING)
					.at(T0.plus(Duration.ofMinutes(20)))
					.when((at) -> new Permitted(at, forced, PERMIT))
					.then((model) -> model
						.withRecord(model.record().withForcedRenewalAt(T0.plus(Duration.ofMinutes(20))))
						.withStore(model.store().changed())
						.withCalling(SessionState.RENEWING))
					.acts(debug("renewing token " + FP + " (expires at 2026-01-15T09:20:00Z)"), writes(null),
							new JoinCall(), new Call(forced, PERMIT, null)),
				row("check counted: sent").given(SERVING)
					.at(T0.plus(Duration.ofMinutes(5)))
					.when((at) -> new Permitted(at, check, PERMIT))
					.then((model) -> model.withCalling(SessionState.CHECKING))
					.acts(debug("checking that the session of token " + FP + " is open"), new JoinCall(),
							new Call(check, PERMIT, null)));
	}

	static List<DecisionRow> budgetRefusals() {
		CallPlan.Login login = new CallPlan.Login(LoginReason.SCHEDULED);
		Instant later = T0.plus(Duration.ofMinutes(20));
		String renewalsSpent = "15 renewals in the last hour reached the limit of 15";
		Refuse noRenewal = refuse(Reason.BUDGET_EXHAUSTED,
				renewalsSpent + "; the next renewal is possible at 2026-01-15T09:19:55Z", Duration.ofMinutes(10));
		return List.of(
				row("no place for a login while logins are in flight: it follows as soon as they answer")
					.when((at) -> new BudgetRefused(at, login, new Allowance(5, 2, 5, T0.plusSeconds(20))))
					.then((model) -> model.withWaitingForAllowance(true))
					.acts(refuse(Reason.BUDGET_EXHAUSTED,
							"2 logins in flight hold Tradovate's allowance of 5 failed logins an hour; this one "
									+ "follows as soon as they answer",
							Duration.ofSeconds(20))),
				row("five failed logins in the hour: the account waits until one leaves it, written down")
					.when((at) -> new BudgetRefused(at, login, new Allowance(5, 0, 5, T0.plus(Duration.ofMinutes(40)))))
					.then((model) -> model
						.withRecord(model.record()
							.failed(SessionState.STARTING, new Failure(Reason.BUDGET_EXHAUSTED,
									"5 failed logins in the last hour reached Tradovate's limit of 5", T0),
									T0.plus(Duration.ofMinutes(40)), 0))
						.withStore(model.store().changed()))
					.acts(warn("5 failed logins in the last hour reached Tradovate's limit of 5; no login before "
							+ "2026-01-15T08:40:00Z, and no token is served until then"),
							writes(new AfterCommit.Refuse())),
				row("the hour's renewals spent: said once for the token, the caller hears when one fits").given(SERVING)
					.at(RENEW_AT)
					.when((at) -> new BudgetRefused(at, RENEWAL_CALL.plan(),
							new Allowance(15, 0, 15, RENEW_AT.plus(Duration.ofMinutes(10)))))
					.then((model) -> model.withRenewalBudgetWarnedFor(1))
					.acts(warn(renewalsSpent + "; token " + FP + " is served until it expires at "
							+ "2026-01-15T09:20:00Z, then the broker logs in again"), noRenewal),
				row("the hour's renewals spent, said already for this token: no second line")
					.given(SERVING.withRenewalBudgetWarnedFor(1))
					.at(RENEW_AT)
					.when((at) -> new BudgetRefused(at, RENEWAL_CALL.plan(),
							new Allowance(15, 0, 15, RENEW_AT.plus(Duration.ofMinutes(10)))))
					.acts(noRenewal),
				row("a caller's renewal may not spend the renewals kept for the schedule").given(SERVING)
					.at(later)
					.when((at) -> new BudgetRefused(at, new CallPlan.Renewal(TOKEN, 3, true),
							new Allowance(12, 0, 15, T0.plus(Duration.ofMinutes(75)))))
					.acts(refuse(Reason.BUDGET_EXHAUSTED,
							"12 renewals in the last hour leave only the 3 kept for scheduled renewals; the next "
									+ "renewal is possible at 2026-01-15T09:15:00Z",
							Duration.ofMinutes(55))),
				row("the failed checks of the hour spent: checks wait, the token is still served").given(SERVING)
					.at(T0.plus(Duration.ofMinutes(5)))
					.when((at) -> new BudgetRefused(at, CHECK_CALL.plan(),
							new Allowance(10, 0, 10, T0.plus(Duration.ofMinutes(30)))))
					.then((model) -> model.withChecksResumeAt(T0.plus(Duration.ofMinutes(30))))
					.acts(new SessionChecked("skipped"),
							warn("Tradovate's allowance of 10 failed session checks an hour is spent; the next check "
									+ "is possible at 2026-01-15T08:30:00Z"),
							refuse(Reason.BUDGET_EXHAUSTED,
									"10 session checks in the last hour reached Tradovate's limit of 10 failed checks",
									Duration.ofMinutes(25))));
	}

	static List<DecisionRow> loginAnswers() {
		Instant now = T0.plusSeconds(1);
		SessionModel loggingIn = EMPTY.withCalling(SessionState.LOGGING_IN);
		HeldToken granted = token(1, "access-2", now, LIFETIME);
		Instant renewAt = POLICY.renewAt(granted);
		String tooShort = "Tradovate's token " + granted.fingerprint() + " lives 5000 ms, no longer than the safety "
				+ "margin (broker.renewal.expiry-margin), so it cannot be served";

		return List.of(
				row("login granted: the token's record is written, then it is served (the login costs nothing)")
					.given(loggingIn.withNextLoginReason(LoginReason.REVOKED))
					.at(now)
					.when(answered(new Call(new CallPlan.Login(LoginReason.REVOKED), PERMIT, LOGIN), granted(granted)))
					.then((model) -> model.withCalling(null)
						.withNextLoginReason(null)
						.withRecord(model.record().granted(1, FORM.seal(granted), renewAt, now, LoginReason.REVOKED))
						.withStore(model.store().changed()))
					.acts(LOGIN_FREE, WAKE, writes(new AfterCommit.Accept(granted, null, renewAt))),
				row("login granted, lease lost meanwhile: written all the same, the store's fence decides")
					.given(loggingIn)
					.at(now)
					.lease(THEIRS)
					.when(answered(LOGIN_CALL, granted(granted)))
					.then((model) -> model.withCalling(null)
						.withRecord(model.record().granted(1, FORM.seal(granted), renewAt, now, LoginReason.SCHEDULED))
						.withStore(model.store().changed()))
					.acts(LOGIN_FREE, WAKE, writes(new AfterCommit.Accept(granted, null, renewAt))),
				row("login granted a token no longer than the margin: never served, the next login waits it out")
					.given(loggingIn)
					.at(now)
					.when(answered(LOGIN_CALL, granted(token(1, "access-2", now, Duration.ofSeconds(5)))))
					.then(failed(SessionState.BACKING_OFF, Reason.UPSTREAM_FAILED, tooShort, now, now.plusSeconds(5),
							1))
					.acts(LOGIN_FREE, WAKE, warn(tooShort + "; failure 1 in a row, next attempt in 5000 ms"),
							writes(new AfterCommit.Refuse())),
				row("login penalized: the ticket kept for the identical login after the wait").given(loggingIn)
					.at(now)
					.when(answered(LOGIN_CALL,
							new TradovateAnswer.Penalized("ticket-7", Duration.ofSeconds(30), false)))
					.then((model) -> failed(SessionState.PENALIZED, Reason.PENALIZED, PENALTY, now, now.plusSeconds(30),
							0)
						.apply(model.withTicket(TICKET))
						.withRecord(model.record()
							.failed(SessionState.PENALIZED, new Failure(Reason.PENALIZED, PENALTY, now),
									now.plusSeconds(30), 0)
							.withTicket(FORM.seal(TICKET))))
					.acts(LOGIN_COUNTED, WAKE, new WaitImposed(SessionState.PENALIZED),
							warn(PENALTY + ", at 2026-01-15T08:00:31Z"), writes(new AfterCommit.Refuse())),
				coolsDown("login penalized with a captcha", loggingIn.withTicket(TICKET), now, LOGIN_CALL,
						new TradovateAnswer.Penalized("ticket-8", Duration.ofSeconds(60), true),
						SessionState.CAPTCHA_REQUIRED, Reason.CAPTCHA_REQUIRED, CAPTCHA),
				coolsDown("login rejected (unless the credentials change)", loggingIn, now, LOGIN_CALL,
						new TradovateAnswer.Rejected("Incorrect username or password"), SessionState.REJECTED,
						Reason.CREDENTIALS_REJECTED, "Tradovate refused the login (Incorrect username or password)"),
				coolsDown("login answered 423", loggingIn, now, LOGIN_CALL, new TradovateAnswer.LockedOut(423),
						SessionState.LOCKED_OUT, Reason.LOCKED_OUT,
						"Tradovate warns of an imminent lock-out (HTTP 423)"),
				coolsDown("login answered 429", loggingIn, now, LOGIN_CALL, new TradovateAnswer.LockedOut(429),
						SessionState.LOCKED_OUT, Reason.LOCKED_OUT, "Tradovate locked this client out (HTTP 429)"),
				loginBacksOff("login answered 401 as if a renewal", new TradovateAnswer.Expired(),
						"login failed: unexpected answer expired"),
				loginBacksOff("login answered like /auth/me", new TradovateAnswer.Identified(42, "trader"),
						"login failed: unexpected answer identified"),
				loginBacksOff("login failed", new TradovateAnswer.Failed("HTTP 503"), "login failed: HTTP 503"),
				row("login failed a third time: the back-off doubles each time")
					.given(stored(loggingIn,
							AccountRecord.NEW.failed(SessionState.BACKING_OFF,
									new Failure(Reason.UPSTREAM_FAILED, "login failed: HTTP 503", T0), now, 2)))
					.at(now)
					.when(answered(LOGIN_CALL, new TradovateAnswer.Failed("HTTP 503")))
					.then(failed(SessionState.BACKING_OFF, Reason.UPSTREAM_FAILED, "login failed: HTTP 503", now,
							now.plusSeconds(15), 3))
					.acts(LOGIN_COUNTED, WAKE,
							warn("login failed: HTTP 503; failure 3 in a row, next attempt in 15000 ms"),
							writes(new AfterCommit.Refuse())));
	}

	/** A login answered so that only a later one helps: counted, backed off, written. */
	private static DecisionRow loginBacksOff(String name, TradovateAnswer answer, String detail) {
		Instant now = T0.plusSeconds(1);
		return row(name + ": backed off, counted as a failed login").given(EMPTY.withCalling(SessionState.LOGGING_IN))
			.at(now)
			.when(answered(LOGIN_CALL, answer))
			.then(failed(SessionState.BACKING_OFF, Reason.UPSTREAM_FAILED, detail, now, now.plusMillis(3750), 1))
			.acts(LOGIN_COUNTED, WAKE, warn(detail + "; failure 1 in a row, next attempt in 3750 ms"),
					writes(new AfterCommit.Refuse()));
	}

	/** A call answered so that no call may go for the cool-down: said, written. */
	private static DecisionRow coolsDown(String name, SessionModel given, Instant now, Call call,
			TradovateAnswer answer, SessionState state, Reason reason, String detail) {
		UnaryOperator<SessionModel> next = coolDown(state, reason, detail, now);
		boolean login = call.plan() instanceof CallPlan.Login;
		List<Object> actions = new ArrayList<>(login ? List.of(LOGIN_COUNTED, WAKE) : List.of());
		actions.addAll(List.of(new WaitImposed(state),
				error(detail + "; no call to Tradovate for this account until " + now.plus(Duration.ofHours(1))),
				writes(new AfterCommit.Refuse())));
		return row(name + ": no call for the cool-down" + (login ? "" : ", the token still served")).given(given)
			.at(now)
			.when(answered(call, answer))
			.then((state != SessionState.REJECTED) ? next : (model) -> next.apply(model)
				.withRecord(next.apply(model).record().withRefusedCredentials(ACCOUNT.credentials().fingerprint())))
			.acts(actions.toArray());
	}

	static List<DecisionRow> renewalAnswers() {
		SessionModel renewing = SERVING.withCalling(SessionState.RENEWING);
		IssuedToken issued = new IssuedToken("access-2", null, RENEW_AT.plus(LIFETIME), LIFETIME, null);
		HeldToken renewed = HeldToken.of(ACCOUNT.id(), issued, TOKEN, 2, RENEW_AT);
		Instant renewAt = POLICY.renewAt(renewed);
		String penalty = "Tradovate imposed a penalty wait of 30 s; the broker then retries the renewal";
		Instant lastSeconds = TOKEN.expiresAt().minusSeconds(9);
		IssuedToken shorter = new IssuedToken("access-2", null, RENEW_AT.plusSeconds(20), Duration.ofSeconds(20), null);
		HeldToken renewedShorter = HeldToken.of(ACCOUNT.id(), shorter, TOKEN, 2, RENEW_AT);
		return List.of(
				row("renewal granted: same session, the market-data token and user kept, revision 2").given(renewing)
					.at(RENEW_AT)
					.when(answered(RENEWAL_CALL, new TradovateAnswer.Granted(issued)))
					.then((model) -> model.withCalling(null)
						.withRecord(model.record().granted(2, FORM.seal(renewed), renewAt, RENEW_AT, null))
						.withStore(model.store().changed()))
					.acts(writes(new AfterCommit.Accept(renewed, TOKEN, renewAt))),
				row("renewal granted, lease lost meanwhile: written all the same, the store's fence decides")
					.given(renewing)
					.at(RENEW_AT)
					.lease(THEIRS)
					.when(answered(RENEWAL_CALL, new TradovateAnswer.Granted(issued)))
					.then((model) -> model.withCalling(null)
						.withRecord(model.record().granted(2, FORM.seal(renewed), renewAt, RENEW_AT, null))
						.withStore(model.store().changed()))
					.acts(writes(new AfterCommit.Accept(renewed, TOKEN, renewAt))),
				row("renewal granted a 20 s token: followed, renewed 3.75 s before it stops being served")
					.given(renewing)
					.at(RENEW_AT)
					.when(answered(RENEWAL_CALL, new TradovateAnswer.Granted(shorter)))
					.then((model) -> model.withCalling(null)
						.withRecord(model.record()
							.granted(2, FORM.seal(renewedShorter), RENEW_AT.plusMillis(11_250), RENEW_AT, null))
						.withStore(model.store().changed()))
					.acts(writes(new AfterCommit.Accept(renewedShorter, TOKEN, RENEW_AT.plusMillis(11_250)))),
				row("renewal answered 401: the token dropped, written so, then one login").given(renewing)
					.at(RENEW_AT)
					.when(answered(RENEWAL_CALL, new TradovateAnswer.Expired()))
					.then((model) -> model.withCalling(null)
						.withCached(null)
						.withNextLoginReason(LoginReason.REVOKED)
						.withRecord(model.record().withoutToken(SessionState.STARTING))
						.withStore(model.store().changed()))
					.acts(warn("Tradovate no longer accepts token " + FP + " (HTTP 401 on renewal); logging in again"),
							new DropToken(TOKEN), writes(new AfterCommit.LogIn(LoginReason.REVOKED))),
				row("renewal penalized: the token still served, the renewal retried after the wait").given(renewing)
					.at(RENEW_AT)
					.when(answered(RENEWAL_CALL, new TradovateAnswer.Penalized("t", Duration.ofSeconds(30), false)))
					.then(failed(SessionState.PENALIZED, Reason.PENALIZED, penalty, RENEW_AT, RENEW_AT.plusSeconds(30),
							0))
					.acts(new WaitImposed(SessionState.PENALIZED), warn(penalty + ", at 2026-01-15T09:10:25Z"),
							writes(new AfterCommit.Refuse())),
				coolsDown("renewal penalized with a captcha", renewing, RENEW_AT, RENEWAL_CALL,
						new TradovateAnswer.Penalized("t", Duration.ofSeconds(30), true), SessionState.CAPTCHA_REQUIRED,
						Reason.CAPTCHA_REQUIRED, CAPTCHA),
				coolsDown("renewal answered 429", renewing, RENEW_AT, RENEWAL_CALL, new TradovateAnswer.LockedOut(429),
						SessionState.LOCKED_OUT, Reason.LOCKED_OUT, "Tradovate locked this client out (HTTP 429)"),
				renewalRetried("renewal refused with an error text", renewing, RENEW_AT,
						new TradovateAnswer.Rejected("Access is denied"), "renewal failed: Access is denied", 1, 3750),
				renewalRetried("renewal answered like /auth/me", renewing, RENEW_AT,
						new TradovateAnswer.Identified(42, "trader"), "renewal failed: unexpected answer identified", 1,
						3750),
				renewalRetried("renewal failed", renewing, RENEW_AT, new TradovateAnswer.Failed("HTTP 503"),
						"renewal failed: HTTP 503", 1, 3750),
				renewalRetried("renewal failed a fourth time 4 s before the token lapses (halfway to it)",
						stored(renewing,
								SERVING.record()
									.failed(SessionState.BACKING_OFF,
											new Failure(Reason.UPSTREAM_FAILED, "x", RENEW_AT), RENEW_AT, 3)),
						lastSeconds, new TradovateAnswer.Failed("HTTP 503"), "renewal failed: HTTP 503", 4, 2000));
	}

	/** A renewal answered so that only another helps: retried before the token lapses. */
	private static DecisionRow renewalRetried(String name, SessionModel given, Instant now, TradovateAnswer answer,
			String detail, int failures, long waitMillis) {
		return row(name + ": retried while the token is served").given(given)
			.at(now)
			.when(answered(RENEWAL_CALL, answer))
			.then(failed(SessionState.BACKING_OFF, Reason.UPSTREAM_FAILED, detail, now, now.plusMillis(waitMillis),
					failures))
			.acts(warn(detail + "; failure " + failures + " in a row, next attempt in " + waitMillis + " ms; token "
					+ FP + " is still served until it expires at 2026-01-15T09:20:00Z"),
					writes(new AfterCommit.Refuse()));
	}

	static List<DecisionRow> checkAnswers() {
		Instant now = T0.plus(Duration.ofMinutes(5));
		SessionModel checking = SERVING.withCalling(SessionState.CHECKING);
		String closed = "Tradovate closed the session of token " + FP + " (HTTP 401 on /auth/me: the user logged in "
				+ "elsewhere, or the password changed); logging in again";
		return List.of(
				row("check finds the session open: costs nothing, written, the token held served").given(checking)
					.at(now)
					.when(answered(CHECK_CALL, new TradovateAnswer.Identified(42, "trader")))
					.then((model) -> model.withCalling(null)
						.withVerified(new Verified(FP, now))
						.withRecord(model.record().withCheckedAt(now))
						.withStore(model.store().changed()))
					.acts(new Settle(Operation.ME, PERMIT, false), new SessionChecked("open"),
							writes(new AfterCommit.ServeHeld(TOKEN))),
				row("check finds the session closed: the token dropped, then one login").given(checking)
					.at(now)
					.when(answered(CHECK_CALL, new TradovateAnswer.Expired()))
					.then((model) -> model.withCalling(null)
						.withCached(null)
						.withNextLoginReason(LoginReason.REVOKED)
						.withRecord(model.record().withoutToken(SessionState.STARTING))
						.withStore(model.store().changed()))
					.acts(CHECK_COUNTED, new SessionChecked("closed"), warn(closed), new DropToken(TOKEN),
							writes(new AfterCommit.LogIn(LoginReason.REVOKED))),
				row("check of a reported token finds the session closed: the login says it was reported")
					.given(checking)
					.at(now)
					.when(answered(new Call(new CallPlan.Check(TOKEN, LoginReason.REPORTED), PERMIT, null),
							new TradovateAnswer.Expired()))
					.then((model) -> model.withCalling(null)
						.withCached(null)
						.withNextLoginReason(LoginReason.REPORTED)
						.withRecord(model.record().withoutToken(SessionState.STARTING))
						.withStore(model.store().changed()))
					.acts(CHECK_COUNTED, new SessionChecked("closed"), warn(closed), new DropToken(TOKEN),
							writes(new AfterCommit.LogIn(LoginReason.REPORTED))),
				checkInconclusive("check answered with a token", granted(token(2, "access-2", now, LIFETIME)),
						"unexpected answer granted", Duration.ofMillis(3750)),
				checkInconclusive("check penalized (checked again after the penalty wait)",
						new TradovateAnswer.Penalized("t", Duration.ofSeconds(45), false),
						"unexpected answer penalized", Duration.ofSeconds(45)),
				checkInconclusive("check refused with an error text", new TradovateAnswer.Rejected("Access is denied"),
						"Access is denied", Duration.ofMillis(3750)),
				checkInconclusive("check answered 429", new TradovateAnswer.LockedOut(429),
						"unexpected answer locked_out", Duration.ofMillis(3750)),
				checkInconclusive("check failed", new TradovateAnswer.Failed("timeout"), "timeout",
						Duration.ofMillis(3750)));
	}

	/** A check with no answer to go by: the token still served, checks wait. */
	private static DecisionRow checkInconclusive(String name, TradovateAnswer answer, String why, Duration wait) {
		Instant now = T0.plus(Duration.ofMinutes(5));
		return row(name + ": nothing to go by, the token still served")
			.given(SERVING.withCalling(SessionState.CHECKING))
			.at(now)
			.when(answered(CHECK_CALL, answer))
			.then((model) -> model.withCalling(null).withChecksResumeAt(now.plus(wait)))
			.acts(CHECK_COUNTED, new SessionChecked("failed"), warn("the session check got no answer to go by (" + why
					+ "); token " + FP + " is still served, next check at " + now.plus(wait)), new Serve(TOKEN));
	}

	static List<DecisionRow> storeAnswers() {
		Instant now = T0.plusSeconds(1);
		HeldToken granted = token(1, "access-2", now, LIFETIME);
		Instant renewAt = POLICY.renewAt(granted);
		AfterCommit.Accept login = new AfterCommit.Accept(granted, null, renewAt);
		SessionModel accepting = EMPTY
			.withRecord(AccountRecord.NEW.granted(1, FORM.seal(granted), renewAt, now, LoginReason.SCHEDULED))
			.withStore(EMPTY.store().changed());
		StoredEntry entry = FORM.write(accepting.record());
		Write write = new Write(entry, 0, login);
		String loggedIn = "logged in, new session; token " + granted.fingerprint() + " valid until "
				+ "2026-01-15T09:20:01Z (lifetime 4800 s), renewal at " + renewAt;
		HeldToken renewed = token(2, "access-2", RENEW_AT, LIFETIME);
		Instant renewedAt = POLICY.renewAt(renewed);
		AfterCommit.Accept renewal = new AfterCommit.Accept(renewed, TOKEN, renewedAt);
		SessionModel renewing = SERVING
			.withRecord(SERVING.record().granted(2, FORM.seal(renewed), renewedAt, RENEW_AT, null))
			.withStore(SERVING.store().changed());
		StoredEntry renewedEntry = FORM.write(renewing.record());
		HeldToken theirs = token(2, "access-3", now, LIFETIME);
		StoredEntry theirEntry = FORM
			.write(AccountRecord.NEW.granted(2, FORM.seal(theirs), POLICY.renewAt(theirs), now, LoginReason.SCHEDULED));
		String discarded = "token " + granted.fingerprint() + " is discarded: another replica took the account's "
				+ "lease while the call was in flight, and its record wins";
		Refuse takenOver = refuse(Reason.STILL_WAITING, "another replica took over this account; ask again shortly",
				Duration.ofSeconds(1));
		SessionModel backingOff = EMPTY
			.withRecord(AccountRecord.NEW.failed(SessionState.BACKING_OFF,
					new Failure(Reason.UPSTREAM_FAILED, "login failed: HTTP 503", now), now.plusMillis(3750), 1))
			.withStore(EMPTY.store().changed());
		StoredEntry backOffEntry = FORM.write(backingOff.record());
		Function<AfterCommit, Function<Moment, SessionEvent>> writtenWith = (then) -> (at) -> new Written(at,
				new Write(FORM.write(SERVING.record()), 1, then), WriteOutcome.WRITTEN, null);
		return List.of(
				row("login's record written: the token is served").given(accepting)
					.at(now)
					.when((at) -> new Written(at, write, WriteOutcome.WRITTEN, null))
					.then((model) -> model.withStore(model.store().stored(entry)).withCached(granted))
					.acts(new PutToken(granted), info(loggedIn), new Serve(granted)),
				row("login's record written without a store key: served, not kept beyond this process")
					.rules(WITHOUT_STORE_KEY)
					.given(accepting)
					.at(now)
					.when((at) -> new Written(at, write, WriteOutcome.WRITTEN, null))
					.then((model) -> model.withStore(model.store().stored(entry)).withCached(granted))
					.acts(new PutToken(granted), info(loggedIn),
							debug("no store key, so token " + granted.fingerprint()
									+ " is not kept beyond this process"),
							new Serve(granted)),
				row("renewal's record written: the renewed token is served").given(renewing)
					.at(RENEW_AT)
					.when((at) -> new Written(at, new Write(renewedEntry, 1, renewal), WriteOutcome.WRITTEN, null))
					.then((model) -> model.withStore(model.store().stored(renewedEntry)).withCached(renewed))
					.acts(new PutToken(renewed),
							info("renewed " + FP + ", same session; token " + renewed.fingerprint() + " valid until "
									+ "2026-01-15T10:29:55Z (lifetime 4800 s), renewal at " + renewedAt),
							new Serve(renewed)),
				row("store unreachable: the record is kept to write later, the token served").given(accepting)
					.at(now)
					.when((at) -> new Written(at, write, null, "connection refused"))
					.then((model) -> model.withStore(model.store().withUnsaved(true)).withCached(granted))
					.acts(warn("the state store is unreachable (connection refused); the account's record is kept "
							+ "here and written once it answers"), new PutToken(granted), info(loggedIn),
							new Serve(granted)),
				row("store still unreachable: said once")
					.given(accepting.withStore(accepting.store().withUnsaved(true)))
					.at(now)
					.when((at) -> new Written(at, write, null, "connection refused"))
					.then((model) -> model.withCached(granted))
					.acts(new PutToken(granted), info(loggedIn), new Serve(granted)),
				row("record with a new token fenced off: offered, as no newer token may be lost").given(accepting)
					.at(now)
					.when((at) -> new Written(at, write, WriteOutcome.FENCED, null))
					.acts(new Offer(entry, WriteOutcome.FENCED, login)),
				row("offered record taken: the newer token is served").given(accepting)
					.at(now)
					.when((at) -> new Offered(at, new Offer(entry, WriteOutcome.FENCED, login), true))
					.then((model) -> model.withStore(model.store().stored(entry)).withCached(granted))
					.acts(info("token " + granted.fingerprint()
							+ " is newer than any the store holds and was written back"), new PutToken(granted),
							info(loggedIn), new Serve(granted)),
				row("offered record refused: the store's record is read").given(accepting)
					.at(now)
					.when((at) -> new Offered(at, new Offer(entry, WriteOutcome.FENCED, login), false))
					.then((model) -> model.withStore(model.store().unknown()))
					.acts(warn("the store refused this replica's record (FENCED): another replica took the lease"),
							new Read(login)),
				row("record without a token in conflict: the store's record is read").given(backingOff)
					.at(now)
					.when((at) -> new Written(at, new Write(backOffEntry, 0, new AfterCommit.Refuse()),
							WriteOutcome.CONFLICT, null))
					.then((model) -> model.withStore(model.store().unknown()))
					.acts(warn("the store refused this replica's record (CONFLICT): another replica wrote first"),
							new Read(new AfterCommit.Refuse())),
				row("the store's record read after a refusal: its token served, the new one discarded")
					.given(accepting.withStore(accepting.store().unknown()))
					.at(now)
					.when((at) -> new Reread(at, new Read(login), theirEntry, false))
					.then((model) -> model.withRecord(FORM.read(theirEntry))
						.withStore(model.store().stored(theirEntry))
						.withCached(theirs))
					.acts(new PutToken(theirs), warn(discarded), new Serve(theirs)),
				row("the store unreachable after a refusal: the new token discarded, nothing to serve")
					.given(accepting.withStore(accepting.store().unknown()))
					.at(now)
					.when((at) -> new Reread(at, new Read(login), null, true))
					.then((model) -> model.withStore(model.store().withUnsaved(true)))
					.acts(warn(discarded), takenOver),
				row("the store empty after a refusal, no token held: the new token discarded")
					.given(accepting.withStore(accepting.store().unknown()))
					.at(now)
					.when((at) -> new Reread(at, new Read(login), null, false))
					.then((model) -> model.withStore(model.store().empty()))
					.acts(warn(discarded), takenOver),
				row("the store empty after a refused renewal: the token held is given back first")
					.given(renewing.withStore(renewing.store().unknown()))
					.at(RENEW_AT)
					.when((at) -> new Reread(at, new Read(renewal), null, false))
					.then((model) -> model.withStore(model.store().empty()))
					.acts(new Offer(renewedEntry, null, renewal)),
				row("the token held given back after a refused renewal: the renewed one discarded")
					.given(renewing.withStore(renewing.store().empty()))
					.at(RENEW_AT)
					.when((at) -> new Offered(at, new Offer(renewedEntry, null, renewal), true))
					.then((model) -> model.withStore(model.store().stored(renewedEntry)))
					.acts(warn("the store had lost the account's record; token " + FP + " was written back"),
							warn("token " + renewed.fingerprint() + " is discarded: another replica took the "
									+ "account's lease while the call was in flight, and its record wins"),
							new Serve(TOKEN)),
				row("a back-off's record written: the caller hears when the next attempt is").given(backingOff)
					.at(now)
					.when((at) -> new Written(at, new Write(backOffEntry, 0, new AfterCommit.Refuse()),
							WriteOutcome.WRITTEN, null))
					.then((model) -> model.withStore(model.store().stored(backOffEntry)))
					.acts(refuse(Reason.UPSTREAM_FAILED,
							"login failed: HTTP 503; next attempt at 2026-01-15T08:00:04Z (in 3 s)",
							Duration.ofMillis(3750))),
				row("the dropped token's record written: one login").given(stored(EMPTY, AccountRecord.NEW))
					.when(writtenWith.apply(new AfterCommit.LogIn(LoginReason.REVOKED)))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(spendLogin(LoginReason.REVOKED, T0)),
				row("the dropped token's record written, lease not confirmed: no login")
					.given(stored(EMPTY, AccountRecord.NEW))
					.lease(MINE_UNCONFIRMED)
					.when(writtenWith.apply(new AfterCommit.LogIn(LoginReason.REVOKED)))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(NO_LEASE_TO_LOG_IN),
				row("an open session's check written: the token held served").given(SERVING)
					.at(T0.plus(Duration.ofMinutes(5)))
					.when(writtenWith.apply(new AfterCommit.ServeHeld(TOKEN)))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(new Serve(TOKEN)),
				row("an open session's check written as the token lapsed: the token checked served")
					.given(SERVING.withCached(null))
					.at(T0.plus(Duration.ofMinutes(5)))
					.when(writtenWith.apply(new AfterCommit.ServeHeld(TOKEN)))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(new Serve(TOKEN)),
				row("the record the store missed written: the tick goes on").given(SERVING)
					.at(RENEW_AT)
					.when(writtenWith.apply(new AfterCommit.Maintain()))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(new Spend(new CallPlan.Renewal(TOKEN, 0, false), null)),
				row("the record the store missed still unwritten: the tick goes on").given(SERVING)
					.at(RENEW_AT)
					.when((at) -> new Written(at,
							new Write(FORM.write(SERVING.record()), 1, new AfterCommit.Maintain()), null,
							"connection refused"))
					.then((model) -> model.withStore(model.store().withUnsaved(true)))
					.acts(warn("the state store is unreachable (connection refused); the account's record is kept "
							+ "here and written once it answers"),
							new Spend(new CallPlan.Renewal(TOKEN, 0, false), null)),
				row("a record written with nothing to follow").given(SERVING)
					.when(writtenWith.apply(null))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record())))));
	}

	static List<DecisionRow> storeReads() {
		HeldToken theirs = token(2, "access-3", T0.plusSeconds(30), LIFETIME);
		AccountRecord theirRecord = AccountRecord.NEW.granted(2, FORM.seal(theirs), POLICY.renewAt(theirs),
				T0.plusSeconds(30), LoginReason.SCHEDULED);
		StoredEntry theirEntry = FORM.write(theirRecord);
		UnaryOperator<SessionModel> adopted = (model) -> model.withRecord(theirRecord)
			.withStore(model.store().stored(theirEntry).withUnsaved(false))
			.withCached(theirs);
		String lineEnd = ". The account serves no token and does not log in (that would open another session): "
				+ "configure the key that sealed it, or order a login through POST /actuator/tokens/main";
		AccountRecord unreadable = AccountRecord.NEW.granted(2, DecisionRow.ReadableForm.sealWith("k9", theirs),
				POLICY.renewAt(theirs), T0, LoginReason.SCHEDULED);
		String cannotOpen = "the stored token " + theirs.fingerprint() + " cannot be opened: it was sealed with key "
				+ "'k9', which is not configured (broker.store.keys.k9)";
		AccountRecord refused = AccountRecord.NEW
			.failed(SessionState.REJECTED, new Failure(Reason.CREDENTIALS_REJECTED, "refused", T0),
					T0.plus(Duration.ofHours(1)), 1)
			.withRefusedCredentials(OTHER_CREDENTIALS.credentials().fingerprint());
		AccountRecord withoutToken = SERVING.record().withoutToken(SessionState.STARTING);
		AccountRecord holderWaits = SERVING.record()
			.failed(SessionState.CAPTCHA_REQUIRED, new Failure(Reason.CAPTCHA_REQUIRED, CAPTCHA, T0),
					T0.plus(Duration.ofHours(1)), 1);
		AccountRecord penalized = AccountRecord.NEW
			.failed(SessionState.PENALIZED, new Failure(Reason.PENALIZED, "a penalty wait", T0), T0.plusSeconds(30), 0)
			.withTicket(FORM.seal(new PendingTicket(LOGIN, "ticket-9")));
		AccountRecord foreignTicket = penalized
			.withTicket(new AccountRecord.StoredTicket(new io.tokenbroker.store.Sealed("credentials", "ticket-9"),
					OTHER_CREDENTIALS.credentials().fingerprint()));
		return List.of(
				row("read taken before this replica's own change: ignored, it may answer with what that replaced")
					.given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 0, theirEntry)),
				row("read of the record known already: nothing").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(SERVING.record()))),
				row("read of another replica's newer token: adopted and served").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, theirEntry))
					.then(adopted)
					.acts(new PutToken(theirs)),
				row("read of another record while the holder's call is in flight: its own write decides")
					.given(SERVING.withCalling(SessionState.RENEWING))
					.when((at) -> new StoreRead(at, 1, theirEntry)),
				row("read of another record while the holder has one to write: its own write decides")
					.given(SERVING.withStore(SERVING.store().withUnsaved(true)))
					.when((at) -> new StoreRead(at, 1, theirEntry)),
				row("read of another record with one to write, lease theirs: adopted")
					.given(SERVING.withStore(SERVING.store().withUnsaved(true)))
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, theirEntry))
					.then(adopted)
					.acts(new PutToken(theirs)),
				row("read finds nothing while a token is held: the store lost its data, the token given back")
					.given(SERVING)
					.when((at) -> new StoreRead(at, 1, null))
					.acts(new Offer(FORM.write(SERVING.record()), null, null)),
				row("read finds nothing, no token held: nothing").when((at) -> new StoreRead(at, 0, null)),
				row("the token given back: said so, the store's view updated").given(SERVING)
					.when((at) -> new Offered(at, new Offer(FORM.write(SERVING.record()), null, null), true))
					.then((model) -> model.withStore(model.store().stored(FORM.write(SERVING.record()))))
					.acts(warn("the store had lost the account's record; token " + FP + " was written back")),
				row("read of a record this version cannot read: no token served, no login").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, new StoredEntry(2, "{not json")))
					.then((model) -> model.withStore(model.store().stored(new StoredEntry(2, "{not json")))
						.withUnreadable("the stored record cannot be read: the record is not valid JSON of this "
								+ "broker's version")
						.withCached(null))
					.acts(error("the stored record cannot be read: the record is not valid JSON of this broker's "
							+ "version" + lineEnd), new StoredTokenUnreadable(), new RemoveToken()),
				row("read of a token sealed with a key not configured: no token served, no login").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(unreadable)))
					.then((model) -> model.withRecord(unreadable)
						.withStore(model.store().stored(FORM.write(unreadable)))
						.withUnreadable(cannotOpen)
						.withCached(null))
					.acts(error(cannotOpen + lineEnd), new StoredTokenUnreadable(), new RemoveToken()),
				row("read of the same unreadable token again: said once").given(SERVING.withUnreadable(cannotOpen))
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(unreadable)))
					.then((model) -> model.withRecord(unreadable)
						.withStore(model.store().stored(FORM.write(unreadable)))
						.withCached(null))
					.acts(new RemoveToken()),
				row("read of a record without a token: none served").given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(withoutToken)))
					.then((model) -> model.withRecord(withoutToken)
						.withStore(model.store().stored(FORM.write(withoutToken)))
						.withCached(null))
					.acts(new RemoveToken()),
				row("read of a record older than the token served: a replay, not trusted; the newer written back")
					.given(SERVING)
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(AccountRecord.NEW)))
					.acts(warn("the store holds a record of revision 0, older than token " + FP + " (revision 1) this "
							+ "replica serves: a restored or replayed record is not trusted, and this replica's is "
							+ "written back"), new Offer(FORM.write(SERVING.record()), null, null)),
				row("read of credentials refused that were changed since: the cool-down ends")
					.when((at) -> new StoreRead(at, 0, FORM.write(refused)))
					.then((model) -> model.withRecord(refused.waitEnded().withState(SessionState.STARTING))
						.withStore(model.store().stored(FORM.write(refused))))
					.acts(new RemoveToken(),
							info("the credentials changed since Tradovate refused them; the cool-down ends")),
				row("read of the holder's newer token: the callers awaiting it get it")
					.given(SERVING.withAwaitedAfter(1L))
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, theirEntry))
					.then((model) -> adopted.apply(model).withAwaitedAfter(null))
					.acts(new PutToken(theirs), new WakeAwaited(theirs)),
				row("read of a wait imposed on the holder: the callers awaiting it hear why")
					.given(SERVING.withAwaitedAfter(1L))
					.at(T0.plusSeconds(60))
					.lease(THEIRS)
					.when((at) -> new StoreRead(at, 1, FORM.write(holderWaits)))
					.then((model) -> model.withRecord(holderWaits)
						.withStore(model.store().stored(FORM.write(holderWaits)))
						.withAwaitedAfter(null))
					.acts(new FailAwaited(new Refusal(Reason.CAPTCHA_REQUIRED,
							CAPTCHA + "; next attempt at 2026-01-15T09:00:00Z (in 3540 s)", Duration.ofMinutes(59)))),
				row("read of a penalty ticket: kept for the next login").lease(THEIRS)
					.when((at) -> new StoreRead(at, 0, FORM.write(penalized)))
					.then((model) -> model.withRecord(penalized)
						.withStore(model.store().stored(FORM.write(penalized)))
						.withTicket(new PendingTicket(LOGIN, "ticket-9")))
					.acts(new RemoveToken()),
				row("read of a penalty ticket for other credentials: not used").lease(THEIRS)
					.when((at) -> new StoreRead(at, 0, FORM.write(foreignTicket)))
					.then((model) -> model.withRecord(foreignTicket)
						.withStore(model.store().stored(FORM.write(foreignTicket))))
					.acts(new RemoveToken()));
	}

	private static TradovateAnswer.Granted granted(HeldToken token) {
		return new TradovateAnswer.Granted(new IssuedToken(token.accessToken(), token.mdAccessToken(),
				token.expiresAt(), token.lifetime(), token.userId()));
	}

	/** The call answered, the account waiting after a failure, written down. */
	private static UnaryOperator<SessionModel> failed(SessionState state, Reason reason, String detail, Instant now,
			Instant until, int failures) {
		return (model) -> model.withCalling(null)
			.withRecord(model.record().failed(state, new Failure(reason, detail, now), until, failures))
			.withStore(model.store().changed());
	}

	/** The call answered, no call for an hour, the ticket gone, written down. */
	private static UnaryOperator<SessionModel> coolDown(SessionState state, Reason reason, String detail, Instant now) {
		return (model) -> model.withCalling(null)
			.withTicket(null)
			.withRecord(model.record()
				.failed(state, new Failure(reason, detail, now), now.plus(Duration.ofHours(1)),
						model.record().failures() + 1)
				.withTicket(null))
			.withStore(model.store().changed());
	}

	/** Built last: the rows read every constant above. */
	private static final List<DecisionRow> ROWS = Stream
		.of(ticks(), tokensWanted(), reports(), operatorOrders(), holderFailures(), permits(), budgetRefusals(),
				loginAnswers(), renewalAnswers(), checkAnswers(), storeAnswers(), storeReads())
		.flatMap(List::stream)
		.toList();

}
