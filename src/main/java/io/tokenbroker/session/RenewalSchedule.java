package io.tokenbroker.session;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Looks at every account on a short fixed interval and lets it log in or renew when due.
 * Decisions read the injected clock, so a wall-clock jump or a paused machine cannot make
 * a renewal late, and tests move time instead of waiting. Starts after the web server
 * (the embedded simulator answers on it) and stops before it drains.
 */
public class RenewalSchedule implements SmartLifecycle {

	/** After the web server starts, before its graceful shutdown. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Logger log = LoggerFactory.getLogger(RenewalSchedule.class);

	private final AccountSessions sessions;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private volatile ScheduledFuture<?> ticks;

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

	void maintainAll() {
		for (AccountSession session : this.sessions.all()) {
			try {
				session.maintain();
			}
			catch (RuntimeException ex) {
				// one account's bug must not stop the schedule of the others
				log.error("Account {}: maintenance failed: {}", session.id(), ex.toString());
			}
		}
	}

}
