package io.tokenbroker.session;

import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StateStoreContract;

/**
 * The fake the fleet's unit tests share keeps the contract the Redis store keeps, so that
 * what a fleet test shows holds on Redis.
 */
class SharedMemoryStoreContractTests extends StateStoreContract {

	private final SharedMemoryStore shared = new SharedMemoryStore();

	@Override
	protected StateStore open(String replica) {
		return this.shared.view(replica);
	}

	@Override
	protected void leaseRunsOut(String account) {
		this.shared.expireLease(account);
	}

	@Override
	protected StateStore reopen(StateStore closed) {
		return open(closed.replica());
	}

}
