package io.tokenbroker.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent callers of {@code GET /token} on the replicas of a fleet that are up,
 * counting what they get and the most Tradovate sessions seen meanwhile.
 *
 * @param <R> a replica: in this JVM or a process of its own
 */
public final class FleetLoad<R> implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FleetLoad.class);

	private final List<R> targets;

	private final Function<R, BrokerCaller> caller;

	private final IntSupplier sessions;

	private final ExecutorService callers;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicLong served = new AtomicLong();

	private final Map<Integer, AtomicLong> failed = new ConcurrentHashMap<>();

	private final AtomicInteger maxSessions = new AtomicInteger();

	// one client (and its keep-alive connections) per replica, as a real caller has
	private final Map<R, BrokerCaller> clients = new ConcurrentHashMap<>();

	/**
	 * @param replicas the replicas called, one picked at random for each request
	 * @param threads how many callers at once
	 * @param caller a client of a replica
	 * @param sessions the Tradovate sessions open now
	 */
	public FleetLoad(List<R> replicas, int threads, Function<R, BrokerCaller> caller, IntSupplier sessions) {
		this.targets = new CopyOnWriteArrayList<>(replicas);
		this.caller = caller;
		this.sessions = sessions;
		this.callers = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.callers.submit(this::call);
		}
	}

	/**
	 * Stops calling this replica (say before it is stopped): its failures then do not
	 * count.
	 */
	public void without(R replica) {
		this.targets.remove(replica);
	}

	private void call() {
		while (this.running.get()) {
			List<R> up = new ArrayList<>(this.targets);
			R target = up.get(ThreadLocalRandom.current().nextInt(up.size()));
			int status;
			try {
				status = this.clients.computeIfAbsent(target, this.caller).get("/token").statusCode();
			}
			catch (RuntimeException ex) {
				status = this.targets.contains(target) ? -1 : 0;
				if (status == -1) {
					log.warn("GET /token on {} failed: {}", target, ex.toString());
				}
			}
			if (status == 200) {
				this.served.incrementAndGet();
			}
			else if (status != 0) {
				this.failed.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
			}
			this.maxSessions.accumulateAndGet(this.sessions.getAsInt(), Math::max);
		}
	}

	public Summary stop() {
		this.running.set(false);
		this.callers.shutdown();
		try {
			this.callers.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long failures = this.failed.values().stream().mapToLong(AtomicLong::get).sum();
		return new Summary(this.served.get(), failures, Map.copyOf(this.failed), this.maxSessions.get());
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * @param failedByStatus failed requests by status, -1 for no answer from a replica up
	 */
	public record Summary(long served, long failed, Map<Integer, AtomicLong> failedByStatus, int maxSessions) {
	}

}
