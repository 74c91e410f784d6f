package io.tokenbroker.simulator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The simulator's WebSocket clock work: every heartbeat interval the server's {@code h}
 * frames and the close of sockets that timed out or lost their session; every quote
 * interval the synthetic quotes. Stops first on shutdown, closing every socket.
 */
class SocketTicker implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SocketTicker.class);

	private final SimulatedTradovate tradovate;

	private final SimulatorProperties.WebSockets settings;

	private volatile ScheduledExecutorService timer;

	SocketTicker(SimulatedTradovate tradovate, SimulatorProperties.WebSockets settings) {
		this.tradovate = tradovate;
		this.settings = settings;
	}

	@Override
	public void start() {
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "simulator-sockets");
			thread.setDaemon(true);
			return thread;
		});
		long heartbeat = this.settings.heartbeatInterval().toMillis();
		long quotes = this.settings.quoteInterval().toMillis();
		timer.scheduleAtFixedRate(() -> run(this.tradovate::socketTick), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
		timer.scheduleAtFixedRate(() -> run(this.tradovate::quoteTick), quotes, quotes, TimeUnit.MILLISECONDS);
		this.timer = timer;
	}

	@Override
	public void stop() {
		ScheduledExecutorService timer = this.timer;
		if (timer != null) {
			timer.shutdownNow();
			this.timer = null;
			this.tradovate.closeAllSockets();
		}
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

	private static void run(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			// a failed tick must not end the schedule
			logger.warn("Simulator socket tick failed", ex);
		}
	}

}
