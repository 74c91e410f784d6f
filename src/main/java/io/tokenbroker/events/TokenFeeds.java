package io.tokenbroker.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tokenbroker.api.AuditTrail;
import io.tokenbroker.api.TokenBodies;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.TokenCache;

/**
 * Every account's {@link AccountFeed}, driven by one thread: told at once of each token
 * stored (by this replica's schedule, a caller's wait, or another replica through the
 * shared store), it also looks every {@code check-interval} for tokens that expired, and
 * sends heartbeats. Stops before the web server's graceful shutdown, ending every stream
 * cleanly so that callers reconnect elsewhere.
 */
public class TokenFeeds implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TokenFeeds.class);

	private final TokenBodies bodies;

	private final JsonMapper json;

	private final AuditTrail audit;

	private final TokenEventProperties settings;

	private final Duration waitForToken;

	private final Clock clock;

	private final ThreadPoolTaskScheduler thread;

	private final ConcurrentMap<String, AccountFeed> feeds = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	private volatile boolean running;

	TokenFeeds(TokenCache tokens, TokenBodies bodies, JsonMapper json, AuditTrail audit, TokenEventProperties settings,
			Duration waitForToken, Clock clock, MeterRegistry meters) {
		this.bodies = bodies;
		this.json = json;
		this.audit = audit;
		this.settings = settings;
		this.waitForToken = waitForToken;
		this.clock = clock;
		this.meters = meters;
		this.thread = new ThreadPoolTaskScheduler();
		this.thread.setPoolSize(1);
		this.thread.setThreadNamePrefix("token-events-");
		this.thread.setDaemon(true);
		this.thread.initialize();
		tokens.onChange((account) -> later(() -> check(account)));
	}

	/**
	 * Opens a stream of an account's events for a caller allowed to read it.
	 * @param remote the caller's address, for the audit
	 * @param lastEventId the {@code Last-Event-ID} the caller reconnects with, or
	 * {@code null}
	 * @throws TooManyStreamsException when the caller's client holds as many streams as
	 * allowed
	 */
	SseEmitter open(AccountSession session, Caller caller, String remote, String lastEventId) {
		AtomicInteger open = this.perClient.computeIfAbsent(caller.id(), (client) -> new AtomicInteger());
		if (open.incrementAndGet() > this.settings.maxStreamsPerClient()) {
			open.decrementAndGet();
			throw new TooManyStreamsException(caller.id(), this.settings.maxStreamsPerClient());
		}
		// no timeout: heartbeats find callers that went away
		SseEmitter emitter = new SseEmitter(0L);
		TokenStream stream = new TokenStream(emitter, caller, remote, lastEventId);
		AccountFeed feed = feed(session);
		Runnable closed = () -> {
			if (stream.end()) {
				open.decrementAndGet();
				later(() -> feed.leave(stream));
			}
		};
		emitter.onCompletion(closed);
		emitter.onError((error) -> closed.run());
		emitter.onTimeout(closed);
		this.thread.execute(() -> {
			stream.send(SseEmitter.event().reconnectTime(this.settings.reconnectDelay().toMillis()).comment("stream"));
			feed.join(stream);
		});
		return emitter;
	}

	// Once stopped, the streams are ended and there is no one left to tell.
	private void later(Runnable task) {
		if (this.running) {
			try {
				this.thread.execute(task);
			}
			catch (TaskRejectedException ex) {
				// stopping meanwhile
			}
		}
	}

	private AccountFeed feed(AccountSession session) {
		return this.feeds.computeIfAbsent(session.id(), (account) -> {
			AccountFeed feed = new AccountFeed(session, this.bodies, this.json, this.waitForToken, this.thread,
					this.clock, (stream, token) -> this.audit.issued(stream.caller(), token, stream.remote()));
			Gauge.builder("broker.token.streams", feed, AccountFeed::size)
				.description("Open token event streams, by account")
				.tag("account", account)
				.register(this.meters);
			return feed;
		});
	}

	/**
	 * Ends each stream whose client is gone, or may no longer read its account, from the
	 * clients as configured now (after a reload): a stream outlives no key.
	 * @param clients each client by id as configured now, empty when removed
	 */
	void endStreamsNoLongerAllowed(Function<String, Optional<Caller>> clients) {
		later(() -> {
			int ended = 0;
			for (AccountFeed feed : this.feeds.values()) {
				for (TokenStream stream : feed.streams()) {
					Caller now = clients.apply(stream.caller().id()).orElse(null);
					if (now == null || !now.mayRead(feed.account())) {
						stream.emitter().complete();
						feed.leave(stream);
						ended++;
					}
				}
			}
			if (ended > 0) {
				log.info("Ended {} token event streams of clients that may no longer read their account", ended);
			}
		});
	}

	private void check(String account) {
		AccountFeed feed = this.feeds.get(account);
		if (feed != null) {
			feed.check(this.clock.instant());
		}
	}

	private void checkAll() {
		this.feeds.values().forEach((feed) -> feed.check(this.clock.instant()));
	}

	private void heartbeat() {
		for (AccountFeed feed : this.feeds.values()) {
			feed.streams().removeIf((stream) -> !stream.send(SseEmitter.event().comment("heartbeat")));
		}
	}

	@Override
	public void start() {
		this.thread.scheduleWithFixedDelay(this::checkAll, this.settings.checkInterval());
		this.thread.scheduleWithFixedDelay(this::heartbeat, this.settings.heartbeat());
		this.running = true;
	}

	/** Ends every stream, then the thread; before the web server's graceful shutdown. */
	@Override
	public void stop() {
		this.running = false;
		int[] ended = new int[1];
		try {
			this.thread.submit(() -> {
				for (AccountFeed feed : this.feeds.values()) {
					for (TokenStream stream : feed.streams()) {
						stream.emitter().complete();
						ended[0]++;
					}
					feed.streams().clear();
				}
			}).get();
		}
		catch (Exception ex) {
			log.warn("Token event streams could not all be ended cleanly: {}", ex.toString());
		}
		this.thread.shutdown();
		if (ended[0] > 0) {
			log.info("Ended {} token event streams for the shutdown", ended[0]);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Back to the state at start, on the feeds' thread: every stream ended, every feed
	 * forgets what it announced and when it may ask again. For tests that keep one broker
	 * across tests and move its clock back; package-private: nothing a caller reaches
	 * calls it.
	 */
	void reset() throws InterruptedException, ExecutionException {
		this.thread.submit(() -> {
			for (AccountFeed feed : this.feeds.values()) {
				feed.streams().forEach((stream) -> stream.emitter().complete());
				feed.streams().clear();
				feed.reset();
			}
			this.perClient.clear();
		}).get();
	}

	/** Open streams per account, for tests and operators. */
	Map<String, Integer> open() {
		Map<String, Integer> open = new ConcurrentHashMap<>();
		this.feeds.forEach((account, feed) -> open.put(account, feed.size()));
		return open;
	}

}
