package io.tokenbroker.store;

import java.time.Instant;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every operation that reaches the store's medium, as
 * {@code broker.store.operations} by operation and outcome ({@code success} or
 * {@code unavailable}), and remembers the latest outcome for health.
 */
public final class StoreMeter {

	private final MeterRegistry registry;

	private final String type;

	private volatile String problem;

	private volatile Instant problemSince;

	public StoreMeter(MeterRegistry registry, String type) {
		this.registry = registry;
		this.type = type;
	}

	/** Runs an operation, timing it; rethrows a {@link StoreUnavailableException}. */
	public <T> T time(String operation, Supplier<T> call) {
		Timer.Sample sample = Timer.start(this.registry);
		String outcome = "success";
		try {
			T result = call.get();
			this.problem = null;
			this.problemSince = null;
			return result;
		}
		catch (StoreUnavailableException ex) {
			outcome = "unavailable";
			if (this.problem == null) {
				this.problemSince = Instant.now();
			}
			this.problem = ex.getMessage();
			throw ex;
		}
		finally {
			sample.stop(Timer.builder("broker.store.operations")
				.description("Operations on the state store, by store type, operation and outcome")
				.tag("store", this.type)
				.tag("operation", operation)
				.tag("outcome", outcome)
				.register(this.registry));
		}
	}

	/** Why the latest operation failed, or {@code null} when it succeeded. */
	public String problem() {
		return this.problem;
	}

	/** Since when operations fail, or {@code null}. */
	public Instant problemSince() {
		return this.problemSince;
	}

}
