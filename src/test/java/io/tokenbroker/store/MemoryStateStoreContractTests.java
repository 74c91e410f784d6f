package io.tokenbroker.store;

/**
 * The memory store keeps the contract of every store, for one replica and one process.
 */
class MemoryStateStoreContractTests extends StateStoreContract {

	@Override
	protected StateStore open(String replica) {
		return new MemoryStateStore(replica);
	}

	@Override
	protected void leaseRunsOut(String account) {
		throw new UnsupportedOperationException("the memory store is not shared");
	}

	@Override
	protected StateStore reopen(StateStore closed) {
		return null;
	}

}
