package io.tokenbroker.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a fleet shares through its store, in memory, for brokers started in one test JVM:
 * the hourly ledgers, the socket registry and the holds. Each broker keeps its own
 * records and leases (it logs in on its own), so that tests of the limits run without
 * Docker.
 */
public final class FleetMemory {

	private final Map<String, RollingHour> ledgers = new ConcurrentHashMap<>();

	private final SocketRegistry sockets = new LocalSocketRegistry();

	private final Holds holds = new LocalHolds();

	/** The beans a broker takes from the fleet, by bean name. */
	public Map<String, Object> beans(String replica) {
		return Map.of("stateStore", store(replica), "socketRegistry", this.sockets, "holds", this.holds);
	}

	/** One replica's store: its own records, the fleet's ledgers. */
	public StateStore store(String replica) {
		return new MemoryStateStore(replica) {

			@Override
			public HourlyLedger ledger(String name, int limit) {
				return FleetMemory.this.ledgers.computeIfAbsent(name, (key) -> new RollingHour(limit));
			}

		};
	}

}
