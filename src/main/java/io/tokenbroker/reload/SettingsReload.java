package io.tokenbroker.reload;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.KeyDigest;
import io.tokenbroker.account.PublishedKeys;
import io.tokenbroker.account.SettingsReader;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.caller.ClientsProperties;
import io.tokenbroker.caller.ClientsProperties.Client;
import io.tokenbroker.session.AccountSessions;

/**
 * Changes without restarts. Every {@code check-interval} the settings files and
 * {@code configtree} directories are read again; when a {@code broker.*} value changed,
 * the whole new set is bound and checked as at start-up (unknown settings, invalid
 * values, shared or published key digests). A valid set replaces the clients (their key
 * digests and rights) and the accounts' credentials at once; an invalid one is refused
 * whole, with one log line naming the settings (never a value), and the broker keeps
 * running on what it had. Adding or removing an account, or changing its user or where it
 * logs in, takes a restart: such a set is refused too. Other settings are read at start
 * only; a change to them is logged and waits for the next restart.
 * <p>
 * Each set of values is judged once: a refused change is not logged again until the files
 * change anew. {@code broker.settings.reloads} counts the outcomes.
 */
public class SettingsReload implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SettingsReload.class);

	/** What a reload replaces: only settings under these are taken at run time. */
	private static final List<String> RELOADED = List.of("broker.clients.", "broker.accounts.",
			"broker.default-account");

	private final SettingsSources sources;

	private final SettingsReader reader;

	private final Running running;

	private final Counter applied;

	private final Counter refused;

	private final Duration checkInterval;

	private ThreadPoolTaskScheduler thread;

	/** The settings taken last; guarded by this. */
	private Reloaded current;

	/** The {@code broker.*} values judged last, applied or not; guarded by this. */
	private Map<String, String> seen;

	SettingsReload(SettingsSources sources, SettingsReader reader, AccountsProperties accounts,
			ClientsProperties clients, Running running, MeterRegistry meters, Duration checkInterval) {
		this.sources = sources;
		this.reader = reader;
		this.running = running;
		this.current = new Reloaded(accounts, clients);
		this.checkInterval = checkInterval;
		this.applied = counter(meters, "applied");
		this.refused = counter(meters, "refused");
		this.seen = SettingsSources.brokerValues(sources.read());
	}

	private static Counter counter(MeterRegistry meters, String outcome) {
		return Counter.builder("broker.settings.reloads")
			.description("Changes of the settings files the broker read while running: applied, or refused whole "
					+ "(invalid, or needing a restart) while the broker kept its settings")
			.tag("outcome", outcome)
			.register(meters);
	}

	/** How a look at the settings files ended. */
	public enum Outcome {

		/** No {@code broker.*} value changed since the last look. */
		UNCHANGED,

		/** The new settings run. */
		APPLIED,

		/** The new settings were refused whole; the broker keeps what it had. */
		REFUSED

	}

	/** Reads the settings files now, and takes what changed, or refuses it whole. */
	public synchronized Outcome check() {
		ConfigurableEnvironment fresh;
		try {
			fresh = this.sources.read();
		}
		catch (RuntimeException ex) {
			// a configtree directory or file gone, say: nothing to judge, the next look
			// retries
			log.warn("Settings reload: the settings files cannot be read ({}); the broker keeps its settings",
					ex.getMessage());
			return Outcome.UNCHANGED;
		}
		Map<String, String> values = SettingsSources.brokerValues(fresh);
		if (values.equals(this.seen)) {
			return Outcome.UNCHANGED;
		}
		Set<String> changed = changedNames(this.seen, values);
		this.seen = values;
		Reloaded next;
		Taken taken;
		try {
			SettingsReader.Bound read = this.reader.read(fresh);
			next = new Reloaded(read.get(AccountsProperties.class), read.get(ClientsProperties.class));
			taken = take(next, fresh);
		}
		catch (RuntimeException ex) {
			return refuse(SettingsReader.describe(ex));
		}
		if (!taken.restart().isEmpty()) {
			return refuse(String.join("; ", taken.restart()) + ": that takes a restart");
		}
		apply(next, taken, changed);
		return Outcome.APPLIED;
	}

	/**
	 * The new settings, built and checked as at start-up, before anything is replaced.
	 */
	private Taken take(Reloaded next, ConfigurableEnvironment fresh) {
		PublishedKeys.refuseOutsideTheDemo(fresh, PublishedKeys.in(next.clients().keyDigests(), Map.of()));
		CallerKeys keys = new CallerKeys(next.clients().clients(), this.running.clock());
		TradovateAccounts accounts = TradovateAccounts.reloaded(next.accounts());
		return new Taken(keys, accounts, this.running.accounts().changesNeedingARestart(accounts));
	}

	private Outcome refuse(String why) {
		this.refused.increment();
		log.warn("Settings reload refused, the broker keeps running on the settings it had: {}", why);
		return Outcome.REFUSED;
	}

	private void apply(Reloaded next, Taken taken, Set<String> changed) {
		List<TradovateAccount> credentials = this.running.accounts().withOtherCredentials(taken.accounts());
		this.running.keys().replaceWith(taken.keys());
		this.running.accounts().withCredentialsOf(taken.accounts());
		for (TradovateAccount account : credentials) {
			this.running.sessions().accept(account);
		}
		List<String> what = clientChanges(this.current, next);
		credentials.forEach((account) -> what.add("credentials of account " + account.id() + " replaced"));
		String defaultAccount = next.accounts().resolvedDefaultAccount();
		if (!Objects.equals(this.current.accounts().resolvedDefaultAccount(), defaultAccount)) {
			what.add("default account now " + defaultAccount);
		}
		this.current = next;
		this.applied.increment();
		log.info("Settings reloaded: {}",
				what.isEmpty() ? "no change to clients or credentials" : String.join("; ", what));
		List<String> atStart = changed.stream()
			.filter((name) -> RELOADED.stream().noneMatch(name::startsWith))
			.toList();
		if (!atStart.isEmpty()) {
			log.warn("Settings reload: {} changed, read at start only: the change takes effect at the next restart",
					String.join(", ", atStart));
		}
	}

	private static List<String> clientChanges(Reloaded before, Reloaded after) {
		Map<String, Client> was = before.clients().clients();
		Map<String, Client> is = after.clients().clients();
		List<String> changes = new ArrayList<>();
		Set<String> ids = new TreeSet<>(was.keySet());
		ids.addAll(is.keySet());
		for (String id : ids) {
			Client old = was.get(id);
			Client now = is.get(id);
			if (old == null) {
				changes.add("client " + id + " added");
			}
			else if (now == null) {
				changes.add("client " + id + " removed, its keys refused from now on");
			}
			else if (!digests(old).equals(digests(now))) {
				changes.add("client " + id + " now has " + digests(now).size() + " key digest(s)");
			}
			else if (!old.accounts().equals(now.accounts()) || old.admin() != now.admin()
					|| old.metrics() != now.metrics()) {
				changes.add("rights of client " + id + " changed");
			}
		}
		return changes;
	}

	private static List<String> digests(Client client) {
		return client.keySha256().stream().map(KeyDigest::normalized).toList();
	}

	private static Set<String> changedNames(Map<String, String> before, Map<String, String> after) {
		Set<String> names = new TreeSet<>(before.keySet());
		names.addAll(after.keySet());
		names.removeIf((name) -> Objects.equals(before.get(name), after.get(name)));
		return names;
	}

	@Override
	public void start() {
		if (this.checkInterval.isZero() || this.checkInterval.isNegative()) {
			log.info("Settings reload is off (broker.reload.check-interval=0): changes take a restart");
			return;
		}
		this.thread = new ThreadPoolTaskScheduler();
		this.thread.setPoolSize(1);
		this.thread.setThreadNamePrefix("settings-reload-");
		this.thread.setDaemon(true);
		this.thread.initialize();
		this.thread.scheduleWithFixedDelay(this::checkSafely, this.checkInterval);
	}

	private void checkSafely() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			// the schedule must go on: the next look may succeed
			log.error("Settings reload failed unexpectedly ({}); the broker keeps its settings", ex.toString());
		}
	}

	@Override
	public void stop() {
		if (this.thread != null) {
			this.thread.shutdown();
			this.thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * What runs and is replaced by a reload.
	 *
	 * @param keys the clients' key digests and rights
	 * @param accounts the accounts' settings
	 * @param sessions told of each account with new credentials
	 * @param clock the broker's clock, for the new keys' last-use times
	 */
	record Running(CallerKeys keys, TradovateAccounts accounts, Consumer<TradovateAccount> sessions, Clock clock) {

		Running(CallerKeys keys, TradovateAccounts accounts, AccountSessions sessions, Clock clock) {
			this(keys, accounts, (account) -> sessions.find(account.id())
				.ifPresent((session) -> session.credentialsChanged(account)), clock);
		}

	}

	/**
	 * The settings a reload takes.
	 *
	 * @param accounts their credentials, and the default account
	 * @param clients their keys and rights
	 */
	private record Reloaded(AccountsProperties accounts, ClientsProperties clients) {
	}

	/**
	 * New settings, built and checked.
	 *
	 * @param restart what in them a running broker cannot take, each naming the setting
	 */
	private record Taken(CallerKeys keys, TradovateAccounts accounts, List<String> restart) {
	}

}
