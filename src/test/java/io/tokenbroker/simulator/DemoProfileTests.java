package io.tokenbroker.simulator;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The demo profile ({@code sim}) serves tokens to a world-known key: it answers on this
 * machine only, says loudly what it is, and refuses to start beside anything real.
 */
@Tag("application")
class DemoProfileTests {

	@Nested
	class Running extends AgainstEmbeddedSimulator {

		@Autowired
		private ServerProperties server;

		@Test
		void theDemoListensOnLoopbackOnly() {
			assertThat(this.server.getAddress()).isNotNull();
			assertThat(this.server.getAddress().isLoopbackAddress()).isTrue();
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class BesideRealAccounts {

		@Test
		void aLiveAccountStopsTheDemo(CapturedOutput output) {
			assertThatException().isThrownBy(() -> start("--broker.accounts.sim.environment=live",
					"--broker.accounts.sim.base-url=https://live.tradovateapi.com/v1"));

			assertThat(output).contains("The demo profile (sim) accepts the demo key sim-demo-key "
					+ "(broker.clients.demo.key-sha256), but account sim is live");
		}

		@Test
		void emptyingTheDemoKeySettingLeavesTheGuardOn(CapturedOutput output) {
			// the public admin client demo stays configured: the guard keys on its digest
			assertThatException().isThrownBy(() -> start("--simulator.demo-client-key=",
					"--broker.accounts.sim.environment=live", "--broker.accounts.sim.base-url=https://127.0.0.1:9/v1"));

			assertThat(output).contains("but account sim is live");
		}

		@Test
		void everyPublishedKeyKeepsTheGuardOn(CapturedOutput output) {
			assertThatException().isThrownBy(() -> start("--broker.clients.demo.key-sha256=" + CallerKeys.hash("test"),
					"--broker.accounts.sim.environment=live", "--broker.accounts.sim.base-url=https://127.0.0.1:9/v1"));
			assertThatException().isThrownBy(() -> start("--broker.clients.demo.key-sha256=" + "a".repeat(64),
					"--broker.store.keys.k1=DsoMb97jZCzVYbSZMVIhPPpnVW8S9G8uQW7Q73UIzSU=",
					"--broker.accounts.sim.environment=live", "--broker.accounts.sim.base-url=https://127.0.0.1:9/v1"));

			assertThat(output)
				.contains("The demo profile (sim) accepts the documentation's example key test "
						+ "(broker.clients.demo.key-sha256), but account sim is live")
				.contains("The demo profile (sim) accepts the demo store key of docker-compose.yml "
						+ "(broker.store.keys.k1), but account sim is live");
		}

		@Test
		void anAccountThatLogsInElsewhereStopsTheDemo(CapturedOutput output) {
			assertThatException().isThrownBy(() -> start("--broker.accounts.main.username=trader",
					"--broker.accounts.main.password=pw", "--broker.accounts.main.app-id=app",
					"--broker.accounts.main.cid=1", "--broker.accounts.main.secret=s"));

			assertThat(output).contains("but account main logs in to Tradovate's demo environment");
		}

		@Test
		void theDemoSaysLoudlyWhatItIs(CapturedOutput output) {
			start().close();

			assertThat(output).contains("DEMO PROFILE: this broker serves demo tokens to the public key sim-demo-key; "
					+ "never run it in production");
		}

		private ConfigurableApplicationContext start(String... settings) {
			List<String> args = new ArrayList<>(
					List.of("--server.port=0", "--spring.main.banner-mode=off", "--broker.renewal.check-interval=1h"));
			args.addAll(List.of(settings));
			return new SpringApplicationBuilder(TokenBrokerApplication.class).profiles("sim")
				.run(args.toArray(String[]::new));
		}

	}

}
