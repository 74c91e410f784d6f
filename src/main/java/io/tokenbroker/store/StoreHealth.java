package io.tokenbroker.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code store} health component: UP while the state store answers, DOWN with the
 * reason when it does not. Never part of readiness: replicas keep serving the tokens they
 * hold while the store is away.
 */
class StoreHealth implements HealthIndicator {

	private final StoreProbe store;

	private final StoreKeys keys;

	private final StoreMeter meter;

	StoreHealth(StoreProbe store, StoreKeys keys, StoreMeter meter) {
		this.store = store;
		this.keys = keys;
		this.meter = meter;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", this.store.describe());
		details.put("replica", this.store.replica());
		details.put("tokensKept", this.keys.canSeal());
		if (this.keys.canSeal()) {
			details.put("activeKey", this.keys.activeId());
			details.put("keys", new TreeSet<>(this.keys.ids()));
		}
		try {
			this.store.check();
			return Health.up().withDetails(details).build();
		}
		catch (StoreUnavailableException ex) {
			details.put("reason", ex.getMessage());
			if (this.meter.problemSince() != null) {
				details.put("since", this.meter.problemSince().toString());
			}
			return Health.down().withDetails(details).build();
		}
	}

}
