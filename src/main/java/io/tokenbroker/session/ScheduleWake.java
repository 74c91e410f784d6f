package io.tokenbroker.session;

/**
 * How the sessions wake the renewal schedule, which is made after them (it runs them):
 * the schedule is attached once it exists, and until then a wake does nothing (its first
 * pass looks at every account anyway). The sessions work from their own threads while the
 * context is still being made, so they must not ask the bean factory for the schedule.
 */
final class ScheduleWake implements Runnable {

	private volatile Runnable schedule = () -> {
	};

	void attach(Runnable schedule) {
		this.schedule = schedule;
	}

	@Override
	public void run() {
		this.schedule.run();
	}

}
