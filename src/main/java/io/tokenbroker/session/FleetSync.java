package io.tokenbroker.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.session.TokenUnavailableException.Reason;
import io.tokenbroker.store.Lease;
import io.tokenbroker.store.LeaseClaim;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StoreUnavailableException;

/**
 * Keeps one replica of a fleet in step with the others through the shared store: renews
 * its leases and takes the free ones (so another replica takes over within a lease time
 * when the holder dies), hears of every record another replica writes (pub/sub, plus a
 * periodic read in case a notice was missed), and carries requests to the holder of an
 * account's lease. Starts before the web server and stops after it, giving its leases up
 * last.
 */
public class FleetSync implements SmartLifecycle {

	/** Before the web server starts, after it stops. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger log = LoggerFactory.getLogger(FleetSync.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final AccountSessions sessions;

	private final StateStore store;

	private final TaskScheduler scheduler;

	private final Executor executor;

	private final Duration leaseTime;

	private final Duration syncInterval;

	private final SessionEvents events;

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private volatile boolean running;

	private volatile boolean leasesFailing;

	FleetSync(AccountSessions sessions, StateStore store, TaskScheduler scheduler, Executor executor,
			Duration leaseTime, Duration syncInterval, SessionEvents events) {
		this.sessions = sessions;
		this.store = store;
		this.scheduler = scheduler;
		this.executor = executor;
		this.leaseTime = leaseTime;
		this.syncInterval = syncInterval;
		this.events = events;
	}

	@Override
	public synchronized void start() {
		listen();
		this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::keepLeases, this.leaseTime.dividedBy(3)));
		this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::readAll, this.syncInterval));
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.tasks.forEach((task) -> task.cancel(false));
		this.tasks.clear();
		List<String> held = this.sessions.all()
			.stream()
			.filter((session) -> session.lease().mine())
			.map(AccountSession::id)
			.toList();
		if (!held.isEmpty()) {
			try {
				this.store.releaseLeases(held);
				log.info("Gave up the lease on {} account(s) for another replica to take over", held.size());
			}
			catch (StoreUnavailableException ex) {
				log.warn("Could not give up the leases ({}); another replica takes over once they run out",
						ex.getMessage());
			}
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Hears the other replicas' change notices and messages. */
	void listen() {
		this.store.subscribe((account) -> this.executor.execute(() -> refresh(account)),
				(message) -> this.executor.execute(() -> receive(message)));
	}

	/** One round: renews the leases held, takes the free ones this replica may take. */
	void keepLeases() {
		List<LeaseClaim> claims = this.sessions.all()
			.stream()
			.map((session) -> new LeaseClaim(session.id(), session.mayHoldLease(), session.lease().lastOwnFence()))
			.toList();
		Map<String, Lease> leases;
		try {
			leases = this.store.keepLeases(claims);
		}
		catch (StoreUnavailableException ex) {
			if (!this.leasesFailing) {
				log.warn("Leases cannot be renewed ({}); replicas keep serving their tokens, the holders keep "
						+ "renewing, and nobody logs in until the store answers", ex.getMessage());
			}
			this.leasesFailing = true;
			return;
		}
		if (this.leasesFailing) {
			log.info("The state store answers again; leases renewed");
			this.leasesFailing = false;
		}
		for (AccountSession session : this.sessions.all()) {
			Lease lease = leases.get(session.id());
			boolean gaining = lease != null && lease.heldBy(this.store.replica()) && !session.lease().mine();
			if (gaining) {
				// the previous holder may have written since this replica last heard
				refresh(session.id());
			}
			int change = (lease != null) ? session.lease().update(lease) : 0;
			if (change != 0) {
				log.info("Account {}: this replica {} the lease (fence {}){}", session.id(),
						(change > 0) ? "took" : "lost", lease.fence(), (change > 0) ? ""
								: "; " + ((lease.holder() != null) ? lease.holder() : "nobody") + " holds it now");
				this.events.leaseChanged(session.id(), change > 0);
			}
		}
	}

	/** The safety net: every record, in case a change notice was missed. */
	void readAll() {
		try {
			this.sessions.adoptAll(this.store);
		}
		catch (StoreUnavailableException ex) {
			log.debug("Periodic read of the state store failed: {}", ex.getMessage());
		}
	}

	private void refresh(String account) {
		this.sessions.find(account).ifPresent((session) -> {
			try {
				long mark = session.readMark();
				session.adopt(this.store.read(account), mark);
			}
			catch (StoreUnavailableException ex) {
				log.debug("Account {}: could not read the record another replica wrote: {}", account, ex.getMessage());
			}
		});
	}

	/**
	 * The holders of the accounts' leases, asked through the store: a message needs no
	 * running sync, and the sessions ask from their own threads, maybe while the context
	 * is still being made (so not through the bean factory).
	 */
	static Peers peersThrough(StateStore store) {
		return (account, request) -> send(store, new FleetMessage(request.kind(), account, request.minValiditySeconds(),
				request.token(), null, null, 0, request.client()));
	}

	private void receive(String text) {
		FleetMessage message;
		try {
			message = json.readValue(text, FleetMessage.class);
		}
		catch (JacksonException ex) {
			log.warn("Ignoring a message from another replica that this version cannot read");
			return;
		}
		this.sessions.find(message.account()).ifPresent((session) -> {
			if (FleetMessage.FAILED.equals(message.kind())) {
				session.holderFailed(new TokenUnavailableException(message.reason(), message.detail(),
						Duration.ofSeconds(message.retryAfterSeconds())));
			}
			else if (session.lease().mine()) {
				act(session, message);
			}
		});
	}

	/** The holder acts on another replica's request and tells it if that failed. */
	private void act(AccountSession session, FleetMessage request) {
		var outcome = switch (request.kind()) {
			case PeerRequest.ACT_NOW -> session.actNow();
			case PeerRequest.VERIFY -> session.reported(request.token());
			default -> session.token(Duration.ofSeconds(request.minValiditySeconds()), request.client());
		};
		outcome.whenComplete((token, error) -> {
			if (error != null) {
				TokenUnavailableException failure = (error.getCause() instanceof TokenUnavailableException cause)
						? cause : (error instanceof TokenUnavailableException direct) ? direct
								: Refusals.holderFailed().exception();
				send(new FleetMessage(FleetMessage.FAILED, session.id(), 0, null, failure.reason(),
						failure.getMessage(), failure.retryAfterSeconds(), null));
			}
		});
	}

	private void send(FleetMessage message) {
		send(this.store, message);
	}

	private static void send(StateStore store, FleetMessage message) {
		try {
			store.publish(json.writeValueAsString(message));
		}
		catch (StoreUnavailableException ex) {
			log.debug("Could not tell the other replicas ({}): {}", message.kind(), ex.getMessage());
		}
	}

	/**
	 * What replicas tell each other, besides change notices.
	 *
	 * @param kind {@code renew}, {@code act-now}, {@code verify} or {@code failed}
	 * @param account account id
	 * @param minValiditySeconds for {@code renew}
	 * @param token for {@code verify}: the fingerprint of the token a caller reported
	 * @param reason for {@code failed}: why, as in a 503
	 * @param detail for {@code failed}: in words
	 * @param retryAfterSeconds for {@code failed}: when to ask again
	 * @param client for {@code renew}: the client asking, or {@code null}
	 */
	record FleetMessage(String kind, String account, long minValiditySeconds, String token, Reason reason,
			String detail, long retryAfterSeconds, String client) {

		static final String FAILED = "failed";

		FleetMessage {
			kind = kind.toLowerCase(Locale.ROOT);
		}

	}

}
