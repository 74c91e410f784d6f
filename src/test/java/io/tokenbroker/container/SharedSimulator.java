package io.tokenbroker.container;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The simulator container, and the Docker network it is known on as {@code simulator},
 * that every container test class shares: started once per test run (on first use) and
 * removed when the run ends, as {@link ProjectImage} does for the image. Declare it after
 * {@code ProjectImage}: the run's store closes in reverse order, so the simulator is gone
 * before its image is removed.
 * <p>
 * A class that counts the simulator's logins or restarts it holds the lock {@link #LOCK}:
 * with {@code -Dit.parallel=true} the classes on the simulator take turns.
 */
final class SharedSimulator implements BeforeAllCallback {

	/** The name of the resource lock of the classes that use the simulator. */
	static final String LOCK = "simulator";

	/**
	 * The simulator's token lifetime, set explicitly (Tradovate's 80 minutes): the outage
	 * test of {@link BrokerContainerIntegrationTests} counts on it.
	 */
	static final int TOKEN_LIFETIME_SECONDS = 80 * 60;

	private static final Logger log = LoggerFactory.getLogger(SharedSimulator.class);

	private static final Network NETWORK = Network.newNetwork();

	private static final GenericContainer<?> SIMULATOR = Containers.simulator(ProjectImage.get(), NETWORK,
			TOKEN_LIFETIME_SECONDS, log);

	/** The network the simulator is on; brokers join it. */
	static Network network() {
		return NETWORK;
	}

	/** The running simulator. */
	static GenericContainer<?> container() {
		return SIMULATOR;
	}

	/** Calls to the simulator through the port Docker published, now. */
	static PublishedPort caller() {
		return Containers.caller(SIMULATOR, null);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// the root store closes what it holds once every test class has run
		context.getRoot()
			.getStore(ExtensionContext.Namespace.create(SharedSimulator.class))
			.computeIfAbsent("removal", (key) -> start(), AutoCloseable.class);
	}

	private static AutoCloseable start() {
		SIMULATOR.start();
		Containers.logStartUp("simulator", SIMULATOR, log);
		return () -> {
			SIMULATOR.stop();
			NETWORK.close();
		};
	}

}
