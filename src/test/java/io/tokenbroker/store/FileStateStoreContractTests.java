package io.tokenbroker.store;

import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;

/** The file store keeps the contract of every store, for one replica, across restarts. */
class FileStateStoreContractTests extends StateStoreContract {

	@TempDir
	Path directory;

	@Override
	protected StateStore open(String replica) {
		return new FileStateStore(this.directory.resolve("state"), replica,
				new StoreMeter(new SimpleMeterRegistry(), "file"));
	}

	@Override
	protected void leaseRunsOut(String account) {
		throw new UnsupportedOperationException("the file store is not shared");
	}

	@Override
	protected StateStore reopen(StateStore closed) {
		return open(closed.replica());
	}

}
