package io.tokenbroker.store;

/**
 * {@link SocketRegistryContract} for a broker that runs alone.
 */
class LocalSocketRegistryTests extends SocketRegistryContract {

	private final SocketRegistry registry = new LocalSocketRegistry();

	private final Holds holds = new LocalHolds();

	@Override
	SocketRegistry registry(int replica) {
		return this.registry;
	}

	@Override
	Holds holds(int replica) {
		return this.holds;
	}

}
