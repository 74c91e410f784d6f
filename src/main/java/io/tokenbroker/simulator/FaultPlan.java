package io.tokenbroker.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * The faults scripted per operation: queued ones are used first, in order, each the given
 * number of times; then the sticky one, if any, for every call until cleared.
 */
final class FaultPlan {

	private final Map<AuthOperation, Deque<QueuedFault>> queued = new EnumMap<>(AuthOperation.class);

	private final Map<AuthOperation, Fault> sticky = new EnumMap<>(AuthOperation.class);

	synchronized void enqueue(AuthOperation operation, Fault fault, int times) {
		Assert.notNull(operation, "operation must not be null");
		Assert.notNull(fault, "fault must not be null");
		Assert.isTrue(times > 0, "times must be positive");
		this.queued.computeIfAbsent(operation, (op) -> new ArrayDeque<>()).addLast(new QueuedFault(fault, times));
	}

	synchronized void stick(AuthOperation operation, Fault fault) {
		Assert.notNull(operation, "operation must not be null");
		Assert.notNull(fault, "fault must not be null");
		this.sticky.put(operation, fault);
	}

	/**
	 * Take the fault for the next call of an operation.
	 * @param operation the operation
	 * @return the fault, or {@code null} to answer normally
	 */
	synchronized Fault next(AuthOperation operation) {
		Deque<QueuedFault> faults = this.queued.get(operation);
		QueuedFault head = (faults != null) ? faults.peekFirst() : null;
		if (head != null) {
			if (--head.remaining == 0) {
				faults.removeFirst();
			}
			return head.fault;
		}
		return this.sticky.get(operation);
	}

	/**
	 * Calls of an operation that will still get a fault.
	 * @param operation the operation
	 * @return the number of queued uses, or {@link Integer#MAX_VALUE} with a sticky fault
	 */
	synchronized int pending(AuthOperation operation) {
		if (this.sticky.containsKey(operation)) {
			return Integer.MAX_VALUE;
		}
		Deque<QueuedFault> faults = this.queued.get(operation);
		return (faults != null) ? faults.stream().mapToInt((fault) -> fault.remaining).sum() : 0;
	}

	synchronized void clear(AuthOperation operation) {
		this.queued.remove(operation);
		this.sticky.remove(operation);
	}

	synchronized void clear() {
		this.queued.clear();
		this.sticky.clear();
	}

	private static final class QueuedFault {

		private final Fault fault;

		private int remaining;

		QueuedFault(Fault fault, int remaining) {
			this.fault = fault;
			this.remaining = remaining;
		}

	}

}
