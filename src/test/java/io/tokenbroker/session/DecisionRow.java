package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.slf4j.event.Level;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.AccountRecord.StoredTicket;
import io.tokenbroker.session.AccountRecord.StoredToken;
import io.tokenbroker.session.SessionAction.Log;
import io.tokenbroker.session.SessionAction.Write;
import io.tokenbroker.session.SessionEvent.Moment;
import io.tokenbroker.session.SessionModel.StoreView;
import io.tokenbroker.store.Sealed;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;
import io.tokenbroker.tradovate.LoginRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row of the session's decision table: a model, an event at a moment with a lease,
 * the next model and the actions, in order. The models, tokens and settings the rows
 * share are here too: an account {@code main} with 80-minute tokens, renewed 10 minutes
 * before they stop being served (5 s before expiry), checked every 5 minutes, back-off
 * from 5 s (a fixed random draw: 3.75 s for the first failure), one hour of cool-down.
 */
final class DecisionRow {

	static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

	static final Duration LIFETIME = Duration.ofMinutes(80);

	static final TradovateAccount ACCOUNT = TestReplica.account("right-password");

	static final TradovateAccount OTHER_CREDENTIALS = TestReplica.account("new-password");

	static final LoginRequest LOGIN = LoginRequest.of(ACCOUNT.credentials());

	/** Half of each back-off step's jitter, always. */
	static final RenewalPolicy POLICY = new RenewalPolicy(
			new SessionProperties.Renewal(Duration.ofMinutes(10), 0.25, 0, Duration.ofSeconds(5), Duration.ofSeconds(1),
					3, Duration.ofMinutes(1), 4, 4),
			new SessionProperties.Retry(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(1)),
			() -> Long.MIN_VALUE);

	static final SessionServices.Timing TIMING = new SessionServices.Timing(Duration.ofSeconds(20),
			Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(3));

	static final ReadableForm FORM = new ReadableForm(true);

	static final SessionRules RULES = new SessionRules(ACCOUNT, FORM, POLICY, new AnswerPolicy(), TIMING, 3);

	static final SessionRules WITHOUT_STORE_KEY = new SessionRules(ACCOUNT, new ReadableForm(false), POLICY,
			new AnswerPolicy(), TIMING, 3);

	/** The token served in most rows: revision 1, obtained at T0. */
	static final HeldToken TOKEN = token(1, "access-1", T0, LIFETIME);

	/** When {@link #TOKEN}'s renewal is due. */
	static final Instant RENEW_AT = POLICY.renewAt(TOKEN);

	/** Nothing known yet. */
	static final SessionModel EMPTY = SessionModel.NEW;

	/** {@link #TOKEN} logged in at T0, served, its record written. */
	static final SessionModel SERVING = stored(EMPTY.withCached(TOKEN),
			AccountRecord.NEW.granted(1, FORM.seal(TOKEN), RENEW_AT, T0, LoginReason.SCHEDULED));

	private final String name;

	private SessionRules rules = RULES;

	private SessionModel given = EMPTY;

	private Instant at = T0;

	private LeaseState lease = LeaseState.MINE;

	private Function<Moment, SessionEvent> event;

	private UnaryOperator<SessionModel> next = UnaryOperator.identity();

	private final List<Object> actions = new ArrayList<>();

	private DecisionRow(String name) {
		this.name = name;
	}

	static DecisionRow row(String name) {
		return new DecisionRow(name);
	}

	static HeldToken token(long revision, String accessToken, Instant obtainedAt, Duration lifetime) {
		return new HeldToken(ACCOUNT.id(), accessToken, "md-" + accessToken, obtainedAt.plus(lifetime), lifetime,
				obtainedAt, 42L, revision, io.tokenbroker.account.Secret.fingerprint(accessToken));
	}

	/** The model with this record, as the store holds it. */
	static SessionModel stored(SessionModel model, AccountRecord record) {
		StoredEntry entry = FORM.write(record);
		return model.withRecord(record).withStore(new StoreView(entry.revision(), entry.content(), false, 1));
	}

	DecisionRow rules(SessionRules rules) {
		this.rules = rules;
		return this;
	}

	DecisionRow given(SessionModel model) {
		this.given = model;
		return this;
	}

	DecisionRow at(Instant at) {
		this.at = at;
		return this;
	}

	DecisionRow lease(LeaseState lease) {
		this.lease = lease;
		return this;
	}

	DecisionRow when(Function<Moment, SessionEvent> event) {
		this.event = event;
		return this;
	}

	/** The next model, from the given one. */
	DecisionRow then(UnaryOperator<SessionModel> next) {
		this.next = next;
		return this;
	}

	/**
	 * The actions, in order: a {@link SessionAction}, a {@link Line} for a log line, or a
	 * {@link Expected} worked out from the given and the next model.
	 */
	DecisionRow acts(Object... actions) {
		this.actions.addAll(List.of(actions));
		return this;
	}

	SessionEvent event() {
		return this.event.apply(new Moment(this.at, this.lease));
	}

	void verify() {
		Decision decision = new AccountLifecycle(this.rules).decide(this.given, event());
		SessionModel expected = this.next.apply(this.given);
		assertThat(decision.next()).as("%s: next model", this.name).isEqualTo(expected);
		List<Object> wanted = this.actions.stream()
			.map((action) -> (action instanceof Expected expectation) ? expectation.apply(this.given, expected)
					: action)
			.map(DecisionRow::comparable)
			.toList();
		assertThat(decision.actions().stream().map(DecisionRow::comparable).toList()).as("%s: actions", this.name)
			.containsExactlyElementsOf(wanted);
	}

	private static Object comparable(Object action) {
		return (action instanceof Log log) ? new Line(log.level(), log.text()) : action;
	}

	@Override
	public String toString() {
		return this.name;
	}

	/** The record of the next model written, from the revision the given model knew. */
	static Expected writes(AfterCommit then) {
		return (given, next) -> new Write(FORM.write(next.record()), given.store().revision(), then);
	}

	static Line error(String text) {
		return new Line(Level.ERROR, "Account main: " + text);
	}

	static Line warn(String text) {
		return new Line(Level.WARN, "Account main: " + text);
	}

	static Line info(String text) {
		return new Line(Level.INFO, "Account main: " + text);
	}

	static Line debug(String text) {
		return new Line(Level.DEBUG, "Account main: " + text);
	}

	/** A log line as written. */
	record Line(Level level, String text) {
	}

	/** An action worked out from the given and the next model. */
	interface Expected extends BiFunction<SessionModel, SessionModel, SessionAction> {

	}

	/**
	 * The store's form made readable: the record as its {@code toString}, read back from
	 * what was written (anything else is not a record); a token "sealed" in clear with
	 * key {@code k1} (keys {@code k0} and {@code k1} open it, {@code k0} is an old one);
	 * a ticket sealed for the account's credentials.
	 */
	static final class ReadableForm implements RecordForm {

		private static final Map<String, AccountRecord> written = new ConcurrentHashMap<>();

		private final boolean keepsTokens;

		ReadableForm(boolean keepsTokens) {
			this.keepsTokens = keepsTokens;
		}

		@Override
		public StoredEntry write(AccountRecord record) {
			String content = record.toString();
			written.put(content, record);
			return new StoredEntry(record.revision(), content);
		}

		@Override
		public AccountRecord read(StoredEntry entry) {
			AccountRecord record = written.get(entry.content());
			if (record == null) {
				throw new UnreadableEntryException("the record is not valid JSON of this broker's version");
			}
			return record;
		}

		@Override
		public boolean keepsTokens() {
			return this.keepsTokens;
		}

		@Override
		public StoredToken seal(HeldToken token) {
			return this.keepsTokens ? sealWith("k1", token) : null;
		}

		static StoredToken sealWith(String key, HeldToken token) {
			return new StoredToken(new Sealed(key, token.accessToken() + "\n" + token.mdAccessToken()),
					token.expiresAt(), token.lifetime(), token.obtainedAt(), token.userId(), token.fingerprint());
		}

		@Override
		public HeldToken open(StoredToken token, long revision) {
			String key = token.secrets().keyId();
			if (!key.equals("k0") && !key.equals("k1")) {
				throw new UnreadableEntryException("it was sealed with key '" + key
						+ "', which is not configured (broker.store.keys." + key + ")");
			}
			String[] secrets = token.secrets().data().split("\n");
			return new HeldToken(ACCOUNT.id(), secrets[0], secrets[1], token.expiresAt(), token.lifetime(),
					token.obtainedAt(), token.userId(), revision, token.fingerprint());
		}

		@Override
		public boolean sealedWithOldKey(StoredToken token) {
			return this.keepsTokens && !token.secrets().keyId().equals("k1");
		}

		@Override
		public StoredTicket seal(PendingTicket ticket) {
			return new StoredTicket(new Sealed("credentials", ticket.ticket()), ACCOUNT.credentials().fingerprint());
		}

		@Override
		public PendingTicket open(StoredTicket ticket) {
			return ACCOUNT.credentials().fingerprint().equals(ticket.credentials())
					? new PendingTicket(LOGIN, ticket.ticket().data()) : null;
		}

	}

}
