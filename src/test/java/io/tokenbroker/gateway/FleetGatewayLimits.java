package io.tokenbroker.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the gateway sharing one store keep Tradovate's limits together, calls
 * alternating between them: an endpoint's hourly limit, the hold a penalty imposes, and
 * the user's hourly share. The simulator counts what reached it; it is never more than
 * the limits allow. The fleet's share is 10 requests an hour (20 at 0.5), contract/find
 * 3; the simulator penalizes user/syncrequest past 2 an hour, which the broker does not
 * limit. Each subclass says what the replicas share their store through.
 */
@Tag("application")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FleetGatewayLimits {

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Brokers.Started simulator;

	private SimulatedTradovate tradovate;

	private final List<Brokers.Started> replicas = new ArrayList<>();

	/** A replica on the simulator's port, its store wired as the subclass shares it. */
	protected abstract Brokers.Started replica(String name, int simulatorPort, String... properties);

	@BeforeAll
	void start() {
		String user = "simulator.users.main.";
		this.simulator = Brokers.simulator(this.clock, user + "password=sim-password", user + "app-id=sim-app",
				user + "cid=1", user + "secret=sim-secret", "simulator.limits.sync-requests-per-hour=2",
				"simulator.limits.sync-request-penalty-time=3s");
		this.tradovate = this.simulator.bean(SimulatedTradovate.class);
		String[] gateway = { "broker.gateway.enabled=true", "broker.clients.fleet.gateway=true",
				"broker.gateway.limits.user-requests-per-hour=20", "broker.gateway.limits.user-share=0.5",
				"broker.gateway.limits.endpoints[contract/find]=3",
				"broker.gateway.limits.endpoints[user/syncrequest]=0", "broker.liveness.check-interval=0s" };
		for (String name : List.of("replica-a", "replica-b")) {
			Brokers.Started replica = replica(name, this.simulator.port(), gateway);
			this.replicas.add(replica);
			await().until(() -> replica.caller().get("/token/main").statusCode() == 200);
		}
	}

	@AfterAll
	protected void stop() {
		this.replicas.forEach(Brokers.Started::close);
		this.simulator.close();
	}

	@Test
	@Order(1)
	void anEndpointsHourlyLimitHoldsForTheFleet() throws Exception {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			statuses.add(call(i % 2, "GET", "/tradovate/main/contract/find?name=ESM6").statusCode());
		}
		HttpResponse<String> refused = call(1, "GET", "/tradovate/main/contract/find?name=ESM6");

		assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429);
		assertThat(refused.body()).contains("gateway-endpoint-limit");
		assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(3590L, 3600L);
		assertThat(stats().requests("contract/find")).isEqualTo(3);
	}

	@Test
	@Order(2)
	void aPenaltyOnOneReplicaHoldsTheEndpointOnEveryReplicaForItsPTime() throws Exception {
		assertThat(call(0, "POST", "/tradovate/main/user/syncrequest").body()).contains("cashBalances");
		assertThat(call(1, "POST", "/tradovate/main/user/syncrequest").body()).contains("cashBalances");

		HttpResponse<String> penalty = call(0, "POST", "/tradovate/main/user/syncrequest");
		HttpResponse<String> held = call(1, "POST", "/tradovate/main/user/syncrequest");
		this.clock.advance(Duration.ofSeconds(3));
		HttpResponse<String> afterPTime = call(1, "POST", "/tradovate/main/user/syncrequest");

		assertThat(penalty.statusCode()).isEqualTo(200);
		assertThat(penalty.body()).contains("\"p-ticket\"").contains("\"p-time\":3");
		assertThat(held.statusCode()).isEqualTo(429);
		assertThat(held.headers().firstValue("Retry-After")).hasValue("3");
		assertThat(held.body()).contains("gateway-endpoint-held");
		assertThat(afterPTime.body()).contains("\"p-ticket\"");
		assertThat(stats().requests("user/syncrequest")).isEqualTo(4);
		assertThat(stats().penaltiesIssued()).isEqualTo(2);
	}

	@Test
	@Order(3)
	void theUsersHourlyShareHoldsForTheFleet() throws Exception {
		// 7 of the fleet's 10 are spent: 3 contract/find, 4 user/syncrequest
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			statuses.add(call(i % 2, "GET", "/tradovate/main/account/list").statusCode());
		}
		HttpResponse<String> refused = call(0, "GET", "/tradovate/main/user/list");

		assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.body()).contains("gateway-user-limit");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		SimulatorStats stats = stats();
		assertThat(stats.requests("account/list")).isEqualTo(3);
		assertThat(stats.requests().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
	}

	private SimulatorStats stats() {
		return this.tradovate.stats();
	}

	private HttpResponse<String> call(int replica, String method, String path) throws IOException {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.replicas.get(replica).port() + path))
			.header("Authorization", "Bearer " + Brokers.KEY)
			.header("Content-Type", "application/json")
			.method(method,
					method.equals("POST") ? BodyPublishers.ofString("{\"users\":[1]}") : BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
