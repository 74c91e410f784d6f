package io.tokenbroker.simulator;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SimulatorBanner}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SimulatorBannerTests {

	@Test
	void withTheDemoKeyShowsTheCurlThatFetchesAToken(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8123");
		SimulatorBanner banner = new SimulatorBanner(
				TestSimulators.properties(Map.of("simulator.demo-client-key", "demo-key-123")), environment);

		banner.announce();

		assertThat(output).contains(
				"Simulator ready. Fetch a token with: curl -s -H 'Authorization: Bearer demo-key-123' http://localhost:8123/token");
	}

	@Test
	void standaloneShowsTheBaseUrl(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "9000");
		SimulatorBanner banner = new SimulatorBanner(TestSimulators.properties(Map.of()), environment);

		banner.announce();

		assertThat(output).contains("Tradovate simulator listening on http://localhost:9000/v1");
	}

}
