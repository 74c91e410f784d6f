package io.tokenbroker.operations;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreePorts;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown: a caller waiting for a slow login gets its token while the broker
 * shuts down. The test starts and closes the broker itself (profile {@code sim}); its
 * schedule ticks once an hour, so only the caller starts the slow login.
 */
@Tag("application")
class GracefulShutdownTests {

	private static final int PORT = FreePorts.next();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private final BrokerCaller caller = new BrokerCaller(PORT, "sim-demo-key");

	@Test
	void aCallerWaitingForALoginGetsItsTokenWhileTheBrokerShutsDown() throws Exception {
		try (ConfigurableApplicationContext broker = start()) {
			SimulatedTradovate tradovate = broker.getBean(SimulatedTradovate.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.caller.get("/token").statusCode() == 200);
			tradovate.enqueue(AuthOperation.LOGIN, Fault.delay(Duration.ofSeconds(2)));
			this.clock.advance(Duration.ofSeconds(61));

			CompletableFuture<HttpResponse<String>> waiting = this.caller.getAsync("/token");
			await().until(() -> tradovate.stats().loginCalls() == 2);
			CompletableFuture<Void> shutdown = CompletableFuture.runAsync(broker::close);

			HttpResponse<String> response = waiting.get(15, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(BrokerCaller.body(response).get("expiresIn").asLong()).isBetween(55L, 60L);
			shutdown.get(20, TimeUnit.SECONDS);
			assertThat(broker.isActive()).isFalse();
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(TokenBrokerApplication.class).profiles("sim")
			.properties("server.port=" + PORT, "simulator.token-lifetime=60s", "broker.renewal.check-interval=1h",
					"broker.wait-for-token=10s")
			// the broker and its simulator read this test's clock
			.initializers((context) -> context.addBeanFactoryPostProcessor((beans) -> {
				BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beans;
				registry.removeBeanDefinition("clock");
				registry.registerBeanDefinition("clock", new RootBeanDefinition(Clock.class, () -> this.clock));
			}))
			.run();
	}

}
