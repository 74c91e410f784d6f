package io.tokenbroker.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Looks at every account on a short fixed interval and lets it log in or renew when due.
 * Decisions read the injected clock, so a wall-clock jump or a paused machine cannot make
 * a renewal late, and tests move time instead of waiting. Starts once the application is
 * ready, so start-up never waits for Tradovate.
 */
public class RenewalSchedule implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RenewalSchedule.class);

	private final AccountSessions sessions;

	private final Duration interval;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "renewal-schedule");
		thread.setDaemon(true);
		return thread;
	});

	public RenewalSchedule(AccountSessions sessions, Duration interval) {
		this.sessions = sessions;
		this.interval = interval;
	}

	@EventListener(ApplicationReadyEvent.class)
	public void start() {
		this.executor.scheduleWithFixedDelay(this::maintainAll, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
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

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
