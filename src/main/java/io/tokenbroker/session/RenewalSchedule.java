package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Looks at every account on a short fixed interval and lets it log in or renew when due.
 * Decisions read the injected clock, so a wall-clock jump or a paused machine cannot make
 * a renewal late, and tests move time instead of waiting. Starts after the web server
 * (the embedded simulator answers on it) and stops before it drains; against another
 * process's Tradovate the first pass has already run, as soon as the store was read
 * ({@code SessionConfiguration}).
 */
public class RenewalSchedule implements SmartLifecycle {

	/** After the web server starts, before its graceful shutdown. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Logger log = LoggerFactory.getLogger(RenewalSchedule.class);

	private final AccountSessions sessions;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

	private volatile ScheduledFuture<?> ticks;

	private final AtomicBoolean woken = new AtomicBoolean();

	private volatile long waitingReportedAt = System.nanoTime() - REPORT_EVERY.toNanos() - 1;

	public RenewalSchedule(AccountSessions sessions, TaskScheduler scheduler, Duration interval) {
		this.sessions = sessions;
		this.scheduler = scheduler;
		this.interval = interval;
	}

	@Override
	public void start() {
		this.ticks = this.scheduler.scheduleWithFixedDelay(this::maintainAll, this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.ticks;
		if (running != null) {
			running.cancel(false);
		}
		this.ticks = null;
	}

	@Override
	public boolean isRunning() {
		return this.ticks != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Looks at every account at once, besides the ticks: a login answered, and accounts
	 * waiting for its place in Tradovate's allowance go now. Calls close together make
	 * one pass.
	 */
	public void wake() {
		if (this.ticks != null && this.woken.compareAndSet(false, true)) {
			try {
				this.scheduler.schedule(() -> {
					this.woken.set(false);
					maintainAll();
				}, Instant.now());
			}
			catch (RuntimeException ex) {
				// shutting down: the ticks are gone too
				this.woken.set(false);
			}
		}
	}

	void maintainAll() {
		reportWaiting(this.sessions.maintainAll());
	}

	/** At most every 10 s: how many accounts wait for a place to log in, and why. */
	private void reportWaiting(int waiting) {
		long now = System.nanoTime();
		if (waiting > 0 && now - this.waitingReportedAt > REPORT_EVERY.toNanos()) {
			this.waitingReportedAt = now;
			log.info(
					"{} account(s) wait to log in: the logins in flight hold Tradovate's allowance of failed "
							+ "logins (a login that succeeds does not count); each goes as soon as a place frees",
					waiting);
		}
	}

}
