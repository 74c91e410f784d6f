package io.tokenbroker.tradovate;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.WebClient;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.account.Secret;
import io.tokenbroker.account.TradovateAccount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the observation of a call to Tradovate records (the {@code http.client.requests}
 * metric's tags, and its span's name and attributes when tracing is on): the call, never
 * what it carries.
 */
class TradovateCallConventionTests {

	private static final String PASSWORD = "pa55word-observed-never";

	private static final String API_SECRET = "s3cret-observed-never";

	private static final String TOKEN = "token-observed-never";

	private final MockWebServer server = new MockWebServer();

	private final List<ClientRequestObservationContext> observed = new CopyOnWriteArrayList<>();

	private TradovateAccount account;

	private TradovateClient client;

	@BeforeEach
	void start() throws IOException {
		this.server.start();
		// a query on the base URL is kept off the observation
		URI baseUrl = URI.create(this.server.url("/v1").toString() + "?debug=" + TOKEN);
		Credentials credentials = new Credentials("trader", Secret.of(PASSWORD), "my-app", "2.1", 4242,
				Secret.of(API_SECRET), "device-1");
		this.account = new TradovateAccount("main", baseUrl, credentials);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ClientRequestObservationContext;
			}

			@Override
			public void onStop(Observation.Context context) {
				TradovateCallConventionTests.this.observed.add((ClientRequestObservationContext) context);
			}

		});
		WebClient webClient = WebClient.builder()
			.observationRegistry(registry)
			.observationConvention(new TradovateCallConvention())
			.build();
		this.client = new TradovateClient(webClient, Clock.fixed(Instant.parse("2026-01-15T08:00:00Z"), ZoneOffset.UTC),
				Duration.ofSeconds(30), Duration.ofHours(24), new SimpleMeterRegistry());
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void aLoginIsNamedAfterTheCallWithThePathAsItsUri() {
		this.server.enqueue(granted());

		this.client.login(this.account, LoginRequest.of(this.account.credentials())).join();

		ClientRequestObservationContext login = this.observed.get(0);
		assertThat(login.getName()).isEqualTo("http.client.requests");
		assertThat(login.getContextualName()).isEqualTo("tradovate login");
		assertThat(values(login.getLowCardinalityKeyValues())).containsEntry("uri", "/v1/auth/accesstokenrequest")
			.containsEntry("method", "POST")
			.containsEntry("status", "200")
			.containsEntry("client.name", this.server.getHostName())
			.doesNotContainKeys("tradovate.operation", "tradovate.account");
		assertThat(values(login.getHighCardinalityKeyValues())).containsEntry("tradovate.operation", "login")
			.containsEntry("tradovate.account", "main")
			.containsEntry("http.url", this.server.url("/v1/auth/accesstokenrequest").toString());
	}

	@Test
	void noObservedValueCarriesTheCredentialsTheTokenOrTheQuery() {
		this.server.enqueue(granted());
		this.server.enqueue(granted());
		this.server.enqueue(new MockResponse.Builder().code(401).build());

		this.client.login(this.account, LoginRequest.of(this.account.credentials())).join();
		this.client.renew(this.account, TOKEN).join();
		this.client.me(this.account, TOKEN).join();

		assertThat(this.observed).extracting(Observation.Context::getContextualName)
			.containsExactly("tradovate login", "tradovate renew", "tradovate me");
		assertThat(values(this.observed.get(2).getLowCardinalityKeyValues())).containsEntry("uri", "/v1/auth/me")
			.containsEntry("status", "401");
		for (ClientRequestObservationContext context : this.observed) {
			String recorded = context.getAllKeyValues().toString() + context.getContextualName();
			assertThat(recorded).doesNotContain(PASSWORD, API_SECRET, TOKEN, "debug");
		}
	}

	private static Map<String, String> values(Iterable<KeyValue> keyValues) {
		Map<String, String> values = new TreeMap<>();
		keyValues.forEach((keyValue) -> values.put(keyValue.getKey(), keyValue.getValue()));
		return values;
	}

	private static MockResponse granted() {
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body("{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T09:20:00Z\"}")
			.build();
	}

}
