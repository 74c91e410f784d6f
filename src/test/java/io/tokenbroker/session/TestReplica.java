package io.tokenbroker.session;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.account.Secret;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.store.SealingKey;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StoreKeys;

/**
 * One broker process for unit tests of the lifecycle: one account, a store, a scripted
 * Tradovate and the test clock, no Spring. Several replicas on one shared store make a
 * fleet; a new replica on the same store is a restart.
 */
final class TestReplica {

	static final Duration LIFETIME = Duration.ofMinutes(80);

	static final Duration LEASE_TIME = Duration.ofSeconds(15);

	/**
	 * Monotonic time for leases, moved by hand: a lease stays fresh until a test moves it
	 * on.
	 */
	static final AtomicLong NANOS = new AtomicLong();

	final AccountSession session;

	final AccountSessions sessions;

	final TokenCache tokens;

	final FleetSync fleet;

	private TestReplica(AccountSession session, AccountSessions sessions, TokenCache tokens, FleetSync fleet) {
		this.session = session;
		this.sessions = sessions;
		this.tokens = tokens;
		this.fleet = fleet;
	}

	static Credentials credentials(String password) {
		return new Credentials("trader", Secret.of(password), "app", "1.0", 7, Secret.of("api-secret"), "device-1");
	}

	static TradovateAccount account(String password) {
		return account("main", password);
	}

	static TradovateAccount account(String id, String password) {
		return new TradovateAccount(id, URI.create("https://demo.tradovateapi.com/v1"), credentials(password));
	}

	static StoreKeys keys(String... ids) {
		Map<String, SealingKey> keys = new java.util.LinkedHashMap<>();
		for (String id : ids) {
			byte[] material = new byte[SealingKey.LENGTH];
			new Random(id.hashCode()).nextBytes(material);
			keys.put(id, new SealingKey(id, material));
		}
		return new StoreKeys(keys, (ids.length > 0) ? ids[ids.length - 1] : null);
	}

	static Builder on(StateStore store, ScriptedTradovate tradovate, Clock clock) {
		return new Builder(store, tradovate, clock);
	}

	static final class Builder {

		private final StateStore store;

		private final ScriptedTradovate tradovate;

		private final Clock clock;

		private StoreKeys keys = TestReplica.keys("k1");

		private TradovateAccount account = TestReplica.account("right-password");

		private int reserved = 3;

		private int renewalsPerHour = 15;

		private Duration forcedInterval = Duration.ofMinutes(1);

		private int forcedShare = 4;

		private Duration checkInterval = Duration.ZERO;

		Builder(StateStore store, ScriptedTradovate tradovate, Clock clock) {
			this.store = store;
			this.tradovate = tradovate;
			this.clock = clock;
		}

		Builder keys(StoreKeys keys) {
			this.keys = keys;
			return this;
		}

		Builder password(String password) {
			this.account = TestReplica.account(password);
			return this;
		}

		Builder account(String id) {
			this.account = TestReplica.account(id, "right-password");
			return this;
		}

		Builder renewalsPerHour(int limit, int reserved) {
			this.renewalsPerHour = limit;
			this.reserved = reserved;
			return this;
		}

		Builder forcedInterval(Duration interval) {
			this.forcedInterval = interval;
			return this;
		}

		/** Renewals each client and each account may force in an hour. */
		Builder forcedShare(int share) {
			this.forcedShare = share;
			return this;
		}

		Builder checkInterval(Duration interval) {
			this.checkInterval = interval;
			return this;
		}

		TestReplica start() {
			TokenCache tokens = new TokenCache(this.clock, Duration.ofSeconds(5));
			RenewalPolicy policy = new RenewalPolicy(
					new SessionProperties.Renewal(Duration.ofMinutes(10), 0.25, 0, Duration.ofSeconds(5),
							Duration.ofSeconds(1), this.reserved, this.forcedInterval, this.forcedShare,
							this.forcedShare),
					new SessionProperties.Retry(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(1)),
					new Random(1));
			UpstreamBudget budget = UpstreamBudget.of(new SessionProperties.Limits(5, this.renewalsPerHour, 10),
					this.store);
			Peers peers = this.store.shared() ? FleetSync.peersThrough(this.store) : Peers.NONE;
			SessionServices.Timing timing = new SessionServices.Timing(Duration.ofSeconds(20), this.forcedInterval,
					this.checkInterval, Duration.ofSeconds(3));
			SessionServices services = new SessionServices(this.tradovate, tokens, this.store, this.keys, budget,
					new ForcedRenewalShares(this.store, this.forcedShare, this.forcedShare), policy, this.reserved,
					this.clock, SessionEvents.NONE, Runnable::run, peers, timing, () -> {
					});
			AccountLease lease = this.store.shared() ? AccountLease.shared(this.store.replica(), LEASE_TIME, NANOS::get)
					: AccountLease.sole(this.store.replica());
			AccountSession session = new AccountSession(this.account, services, lease);
			AccountSessions sessions = new AccountSessions(List.of(this.account), (account) -> session);
			sessions.restore(this.store);
			FleetSync fleet = null;
			if (this.store.shared()) {
				fleet = new FleetSync(sessions, this.store, null, Runnable::run, LEASE_TIME, Duration.ofSeconds(10),
						SessionEvents.NONE);
				fleet.listen();
			}
			return new TestReplica(session, sessions, tokens, fleet);
		}

	}

}
