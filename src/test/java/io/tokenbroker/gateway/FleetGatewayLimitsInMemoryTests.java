package io.tokenbroker.gateway;

import java.util.List;

import io.tokenbroker.store.FleetMemory;
import io.tokenbroker.testing.Brokers;

/**
 * {@link FleetGatewayLimits} with the replicas sharing their ledgers, holds and socket
 * registry in memory: runs everywhere, Docker or not.
 */
class FleetGatewayLimitsInMemoryTests extends FleetGatewayLimits {

	private final FleetMemory fleet = new FleetMemory();

	@Override
	protected Brokers.Started replica(String name, int simulatorPort, String... properties) {
		return Brokers.broker(this.clock, this.fleet.beans(name), simulatorPort, List.of("main"), properties);
	}

}
