package io.tokenbroker.testing;

import java.time.Clock;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.util.TestSocketUtils;

import io.tokenbroker.simulator.SimulatedTradovate;

/**
 * Tests of the broker in its embedded default (profile {@code sim}) over real HTTP: the
 * broker and its simulator share one port and one clock that only the tests move.
 * Subclasses add settings with {@code @TestPropertySource}. The broker logs in to its own
 * port, so the port is fixed, and each test class closes its application when done.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@ActiveProfiles("sim")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class AgainstEmbeddedSimulator {

	protected static final int PORT = TestSocketUtils.findAvailableTcpPort();

	protected static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	@TestBean
	private Clock clock;

	@Autowired
	protected SimulatedTradovate tradovate;

	static Clock clock() {
		return CLOCK;
	}

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	/** A caller presenting this client key. */
	protected static BrokerCaller caller(String key) {
		return new BrokerCaller(PORT, key);
	}

}
