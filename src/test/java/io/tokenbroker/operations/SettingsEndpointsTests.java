package io.tokenbroker.operations;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/env} and {@code /actuator/configprops} with every value shown: the
 * password, the API secret, the store keys and the Redis password stay masked, also where
 * another setting carries one of them (a JSON of settings, a command line).
 */
@TestPropertySource(properties = { "management.endpoints.web.exposure.include=env,configprops",
		"management.endpoint.env.show-values=ALWAYS", "management.endpoint.configprops.show-values=ALWAYS",
		"simulator.users.sim-user.password=" + SettingsEndpointsTests.PASSWORD,
		"simulator.users.sim-user.app-id=sim-app", "simulator.users.sim-user.cid=1",
		"simulator.users.sim-user.secret=" + SettingsEndpointsTests.API_SECRET,
		"broker.accounts.sim.password=" + SettingsEndpointsTests.PASSWORD,
		"broker.accounts.sim.secret=" + SettingsEndpointsTests.API_SECRET,
		"broker.store.keys.k1=" + SettingsEndpointsTests.STORE_KEY,
		"spring.data.redis.password=" + SettingsEndpointsTests.REDIS_PASSWORD,
		"spring.application.json={\"broker\":{\"accounts\":{\"sim\":{\"password\":\"" + SettingsEndpointsTests.PASSWORD
				+ "\"}}}}" })
class SettingsEndpointsTests extends AgainstEmbeddedSimulator {

	static final String PASSWORD = "Pw-3d9e-never-shown";

	static final String API_SECRET = "Sec-5b7c-never-shown";

	static final String STORE_KEY = "U3RvcmVLZXktbmV2ZXItc2hvd24tMzItYnl0ZXMhISE=";

	static final String REDIS_PASSWORD = "Redis-8a1f-never-shown";

	private final BrokerCaller admin = caller("sim-demo-key");

	@Test
	void secretSettingsAreMaskedWhateverShowValuesSays() {
		HttpResponse<String> env = this.admin.get("/actuator/env");
		HttpResponse<String> configprops = this.admin.get("/actuator/configprops");

		assertThat(env.statusCode()).isEqualTo(200);
		assertThat(configprops.statusCode()).isEqualTo(200);
		// values are shown: the username and the simulator's settings are there
		assertThat(env.body()).contains("sim-user").contains("******");
		for (String body : new String[] { env.body(), configprops.body() }) {
			assertThat(body).doesNotContain(PASSWORD)
				.doesNotContain(API_SECRET)
				.doesNotContain(STORE_KEY)
				.doesNotContain(REDIS_PASSWORD);
		}
	}

	@Test
	void oneSecretSettingAskedForByNameIsMaskedToo() {
		for (String name : new String[] { "broker.accounts.sim.password", "broker.accounts.sim.secret",
				"broker.store.keys.k1", "spring.data.redis.password", "spring.application.json" }) {
			HttpResponse<String> answer = this.admin.get("/actuator/env/" + name);

			assertThat(answer.statusCode()).as(name).isEqualTo(200);
			assertThat(answer.body()).as(name)
				.contains("******")
				.doesNotContain(PASSWORD)
				.doesNotContain(API_SECRET)
				.doesNotContain(STORE_KEY)
				.doesNotContain(REDIS_PASSWORD);
		}
	}

}
