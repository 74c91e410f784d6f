package io.tokenbroker.events;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.FreshBrokerPerTest;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.EventStream.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /token/events} over real HTTP: what a stream receives over a renewal, a
 * revocation and an outage, a resume with {@code Last-Event-ID}, the limit per client and
 * scopes. The clock moves only when a test moves it.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.retry.initial-back-off=2s", "broker.retry.max-back-off=10s",
		"broker.upstream.timeout=2s", "broker.wait-for-token=3s", "broker.events.check-interval=50ms",
		"broker.events.heartbeat=100ms", "broker.events.max-streams-per-client=3",
		// SHA-256 of "scraper-key"
		"broker.clients.scraper.key-sha256=fc599a17c4a7d8068ba48a04319b40b9d8b6e9c193a5cc26034930d7c24f4519",
		"broker.clients.scraper.metrics=true" })
@FreshBrokerPerTest
class TokenEventsTests extends AgainstEmbeddedSimulator {

	private final BrokerCaller caller = caller("sim-demo-key");

	private final List<EventStream> streams = new ArrayList<>();

	@Autowired
	private TokenFeeds feeds;

	@BeforeEach
	void tokenHeld() {
		await().until(() -> this.caller.get("/token").statusCode() == 200);
	}

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
	}

	private EventStream open(String path, String lastEventId) {
		EventStream stream = EventStream.open(PORT, path, "sim-demo-key", lastEventId);
		this.streams.add(stream);
		return stream;
	}

	private String etag() {
		return this.caller.get("/token").headers().firstValue("ETag").orElseThrow().replace("\"", "");
	}

	@Test
	void aStreamStartsWithTheTokenHeldThenGetsEachNewOneInOrder() {
		EventStream stream = open("/token/events", null);
		await().until(() -> stream.tokens().size() == 1);
		HttpResponse.ResponseInfo response = stream.response();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		Event first = stream.tokens().get(0);
		assertThat(first.id()).isEqualTo(etag());
		assertThat(first.json().get("accessToken")).isEqualTo(this.caller.token("/token").get("accessToken"));
		assertThat(first.json().get("renewAt").stringValue()).isNotBlank();

		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> stream.tokens().size() == 2);

		Event renewed = stream.tokens().get(1);
		assertThat(renewed.id()).isNotEqualTo(first.id()).isEqualTo(etag());
		assertThat(renewed.json().get("accessToken")).isEqualTo(this.caller.token("/token").get("accessToken"))
			.isNotEqualTo(first.json().get("accessToken"));
		assertThat(stream.events()).extracting(Event::type).containsExactly("token", "token");
		// heartbeats keep idle streams open
		await().until(() -> stream.comments().contains("heartbeat"));
		// the named account's stream is the same
		EventStream named = open("/token/sim/events", null);
		await().until(() -> named.tokens().size() == 1);
		assertThat(named.tokens().get(0).id()).isEqualTo(renewed.id());
	}

	@Test
	void aReconnectWithTheLastEventIdGetsOnlyWhatItMissed() {
		EventStream first = open("/token/events", null);
		await().until(() -> first.tokens().size() == 1);
		String seen = first.tokens().get(0).id();
		first.close();

		EventStream resumed = open("/token/events", seen);
		EventStream stale = open("/token/events", "r0-0");
		await().until(() -> stale.tokens().size() == 1);
		assertThat(stale.tokens().get(0).id()).isEqualTo(seen);
		// the stream is open (its first comment came), and it sends no token the caller
		// has
		await().until(() -> resumed.comments().contains("stream"));
		await().during(Duration.ofMillis(300)).until(() -> resumed.events().isEmpty());

		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> resumed.tokens().size() == 1);
		assertThat(resumed.tokens().get(0).id()).isNotEqualTo(seen).isEqualTo(etag());
	}

	@Test
	void aSessionClosedElsewhereIsReplacedAndTheNewTokenAnnounced() {
		EventStream stream = open("/token/events", null);
		await().until(() -> stream.tokens().size() == 1);
		String refused = stream.tokens().get(0).json().get("accessToken").stringValue();

		this.tradovate.closeSessions("sim-user");
		assertThat(this.caller.post("/token/refused", "text/plain", refused).statusCode()).isEqualTo(200);

		await().until(() -> stream.tokens().size() == 2);
		assertThat(stream.tokens().get(1).json().get("accessToken").stringValue()).isNotEqualTo(refused);
		assertThat(this.tradovate.stats().successfulLogins()).isEqualTo(2);
	}

	@Test
	void anOutageIsAnnouncedWithItsReasonAndSoIsItsEnd() {
		EventStream stream = open("/token/events", null);
		await().until(() -> stream.tokens().size() == 1);
		this.tradovate.stick(AuthOperation.RENEW, Fault.htmlPage(502));
		this.tradovate.stick(AuthOperation.LOGIN, Fault.htmlPage(502));

		CLOCK.advance(Duration.ofSeconds(61));
		await().until(() -> stream.events().size() == 2);
		Event outage = stream.events().get(1);
		assertThat(outage.type()).isEqualTo("unavailable");
		assertThat(outage.id()).isNull();
		JsonNode why = outage.json();
		assertThat(why.get("account").stringValue()).isEqualTo("sim");
		assertThat(why.get("reason").stringValue()).isEqualTo("upstream_failed");
		assertThat(why.get("detail").stringValue()).contains("502");
		assertThat(why.get("retryAfter").asLong()).isPositive();

		this.tradovate.clearFaults();
		CLOCK.advance(Duration.ofSeconds(11));
		await().until(() -> stream.tokens().size() == 2);
		assertThat(stream.events()).extracting(Event::type).containsExactly("token", "unavailable", "token");
		assertThat(stream.tokens().get(1).id()).isEqualTo(etag());
	}

	@Test
	void aStreamOpenedDuringAnOutageNeverGetsTheTokenThatWasDropped() {
		EventStream before = open("/token/events", null);
		await().until(() -> before.tokens().size() == 1);
		String dropped = before.tokens().get(0).json().get("accessToken").stringValue();
		before.close();
		// the broker finds the stream gone at a heartbeat; its feed stays, knowing the
		// token
		await().until(() -> this.feeds.open().get("sim") == 0);
		this.tradovate.stick(AuthOperation.LOGIN, Fault.htmlPage(502));
		this.tradovate.closeSessions("sim-user");
		assertThat(this.caller.post("/token/refused", "text/plain", dropped).statusCode()).isEqualTo(503);

		EventStream during = open("/token/events", null);
		await().until(() -> !during.events().isEmpty());
		assertThat(during.events()).extracting(Event::type).containsExactly("unavailable");

		this.tradovate.clearFaults();
		CLOCK.advance(Duration.ofSeconds(11));
		await().until(() -> during.tokens().size() == 1);
		assertThat(during.tokens().get(0).json().get("accessToken").stringValue()).isNotEqualTo(dropped);
		assertThat(during.events()).extracting(Event::type).containsExactly("unavailable", "token");
	}

	@Test
	void eachClientHoldsAtMostItsShareOfStreams() {
		List<EventStream> allowed = List.of(open("/token/events", null), open("/token/events", null),
				open("/token/sim/events", null));
		allowed.forEach((stream) -> await().until(() -> stream.tokens().size() == 1));

		HttpResponse<String> refused = this.caller.get("/token/events");
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(BrokerCaller.body(refused).get("type").stringValue())
			.isEqualTo("urn:tradovate-token-broker:problem:too-many-streams");

		allowed.get(0).close();
		await().until(() -> {
			EventStream again = open("/token/events", null);
			return again.response().statusCode() == 200;
		});
	}

	@Test
	void aClientThatMayNotReadTheAccountIsRefusedBeforeAnyEvent() {
		BrokerCaller scraper = caller("scraper-key");
		for (String path : List.of("/token/events", "/token/sim/events")) {
			HttpResponse<String> refused = scraper.get(path);
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.body()).doesNotContain("event:").doesNotContain("accessToken");
		}
		assertThat(caller("wrong-key").get("/token/events").statusCode()).isEqualTo(401);
		assertThat(this.caller.get("/token/nobody/events").statusCode()).isEqualTo(404);
	}

}
