package io.tokenbroker.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * An {@link HourlyLedger} in memory. A listener hears of every change, so that a store
 * can keep the permits where they outlive the process.
 */
public class RollingHour implements HourlyLedger {

	private final int limit;

	private final Consumer<List<Permit>> onChange;

	private final Deque<Permit> spent = new ArrayDeque<>();

	public RollingHour(int limit) {
		this(limit, List.of(), (permits) -> {
		});
	}

	/**
	 * @param spent permits already counted, in any order
	 * @param onChange hears the permits in the window after each change, under this
	 * ledger's lock
	 */
	public RollingHour(int limit, Collection<Permit> spent, Consumer<List<Permit>> onChange) {
		this.limit = limit;
		this.onChange = onChange;
		spent.stream().sorted(Comparator.comparing(Permit::spentAt)).forEach(this.spent::addLast);
	}

	@Override
	public Permit tryAcquire(Permit permit, int reserve) {
		return tryAdd(permit, reserve) ? permit : null;
	}

	/** Counts this permit, unless fewer than {@code reserve + 1} calls remain. */
	synchronized boolean tryAdd(Permit permit, int reserve) {
		forgetBefore(permit.spentAt());
		if (this.spent.size() + reserve >= this.limit) {
			return false;
		}
		add(permit);
		this.onChange.accept(permits());
		return true;
	}

	@Override
	public synchronized void refund(Permit permit) {
		if (this.spent.remove(permit)) {
			this.onChange.accept(permits());
		}
	}

	@Override
	public synchronized int used(Instant now) {
		forgetBefore(now);
		return this.spent.size();
	}

	@Override
	public int limit() {
		return this.limit;
	}

	@Override
	public synchronized void settle(Permit permit, boolean counts) {
		if (this.spent.remove(permit)) {
			if (counts) {
				this.spent.add(permit.settled());
				replace(new ArrayList<>(this.spent));
			}
			this.onChange.accept(permits());
		}
	}

	@Override
	public synchronized int pending(Instant now) {
		forgetBefore(now);
		return (int) this.spent.stream().filter((permit) -> permit.pendingAt(now)).count();
	}

	@Override
	public synchronized Instant nextFreeAt(Instant now, int reserve) {
		forgetBefore(now);
		return nextFreeAt(new ArrayList<>(this.spent), this.limit, now, reserve);
	}

	/** The permits in the window, oldest first. */
	public synchronized List<Permit> permits() {
		return List.copyOf(this.spent);
	}

	/** Replaces every permit, say with what a shared store counted. */
	synchronized void replace(Collection<Permit> permits) {
		this.spent.clear();
		permits.stream().sorted(Comparator.comparing(Permit::spentAt)).forEach(this.spent::addLast);
	}

	/** Counts a permit spent elsewhere (or while the shared store was unreachable). */
	synchronized void add(Permit permit) {
		if (!this.spent.contains(permit)) {
			this.spent.addLast(permit);
		}
	}

	/**
	 * When enough calls stop counting (they leave the window, or a pending one answers)
	 * for one more call that keeps {@code reserve} free.
	 * @param spent calls in the window
	 */
	static Instant nextFreeAt(List<Permit> spent, int limit, Instant now, int reserve) {
		int mustLeave = spent.size() + reserve + 1 - limit;
		if (mustLeave <= 0) {
			return now;
		}
		if (mustLeave > spent.size()) {
			return Instant.MAX;
		}
		List<Instant> free = spent.stream().map((permit) -> permit.freeAt(now)).sorted().toList();
		Instant at = free.get(mustLeave - 1);
		return at.isAfter(now) ? at : now;
	}

	private void forgetBefore(Instant now) {
		Instant windowStart = now.minus(WINDOW);
		boolean changed = false;
		while (!this.spent.isEmpty() && !this.spent.peekFirst().spentAt().isAfter(windowStart)) {
			this.spent.removeFirst();
			changed = true;
		}
		if (changed) {
			this.onChange.accept(permits());
		}
	}

}
