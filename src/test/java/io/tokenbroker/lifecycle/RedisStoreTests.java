package io.tokenbroker.lifecycle;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.RedisContainerConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker in its embedded default with its state on Redis, connected through Spring
 * Boot's {@code @ServiceConnection}: the token is kept sealed, health shows the store and
 * the tokens endpoint the lease holder, and an unreachable Redis never stops the token
 * held from being served.
 */
@Testcontainers(disabledWithoutDocker = true)
@Import(RedisContainerConfiguration.class)
@TestPropertySource(properties = { "broker.store.type=redis", "broker.store.keys.k1=" + RestartTests.STORE_KEY,
		"broker.store.replica-id=replica-one", "broker.store.lease-time=3s" })
class RedisStoreTests extends AgainstEmbeddedSimulator {

	private final BrokerCaller caller = caller("sim-demo-key");

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private GenericContainer<?> redisContainer;

	private JsonNode token() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
		return this.caller.token("/token");
	}

	@Test
	void theTokenIsKeptSealedAndTheLeaseHolderIsShown() {
		String accessToken = token().get("accessToken").stringValue();

		String record = (String) this.redis.opsForHash().get("tradovate-token-broker:{state}:account:sim", "content");
		assertThat(record).doesNotContain(accessToken).doesNotContain("sim-password").contains("\"keyId\":\"k1\"");
		await().until(() -> this.caller.get("/actuator/tokens").body().contains("\"leaseHolder\":\"replica-one\""));
		JsonNode store = BrokerCaller.body(this.caller.get("/actuator/health/store"));
		assertThat(store.get("status").stringValue()).isEqualTo("UP");
		assertThat(store.at("/details/store").stringValue()).startsWith("redis ");
		assertThat(store.at("/details/activeKey").stringValue()).isEqualTo("k1");
		assertThat(this.caller.get("/actuator/prometheus").body()).contains("broker_store_operations_seconds_count")
			.contains("broker_store_lease_changes_total{account=\"sim\",change=\"acquired\"");
	}

	@Test
	void whileRedisDoesNotAnswerTheTokenHeldIsServedAndHealthSaysWhy() {
		String accessToken = token().get("accessToken").stringValue();
		var docker = this.redisContainer.getDockerClient();
		docker.pauseContainerCmd(this.redisContainer.getContainerId()).exec();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.caller.get("/actuator/health/store").statusCode() == 503);
			assertThat(this.caller.get("/actuator/health/store").body()).contains("failed on ping");
			assertThat(this.caller.token("/token").get("accessToken").stringValue()).isEqualTo(accessToken);
			assertThat(this.caller.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
		finally {
			docker.unpauseContainerCmd(this.redisContainer.getContainerId()).exec();
		}
		await().until(() -> this.caller.get("/actuator/health/store").statusCode() == 200);
		assertThat(this.tradovate.stats().loginCalls()).isEqualTo(1);
	}

}
