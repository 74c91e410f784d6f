package io.tokenbroker.events;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.EventStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand open streams, each on its own connection, all receive a renewed token. How
 * long that takes is logged here and measured by {@code bench/run}, not asserted.
 */
@TestPropertySource(properties = { "simulator.token-lifetime=60s", "broker.renewal.jitter=0",
		"broker.renewal.check-interval=20ms", "broker.events.max-streams-per-client=1000" })
class ManyStreamsTests extends AgainstEmbeddedSimulator {

	private static final Logger log = LoggerFactory.getLogger(ManyStreamsTests.class);

	private static final int STREAMS = 1000;

	private final List<EventStream> streams = new ArrayList<>();

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
	}

	@Test
	void aRenewalReachesAThousandStreams() {
		BrokerCaller caller = caller("sim-demo-key");
		await().until(() -> caller.get("/token").statusCode() == 200);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		for (int i = 0; i < STREAMS; i++) {
			this.streams.add(EventStream.open(http, PORT, "/token/events", "sim-demo-key", null));
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.streams.stream().allMatch((stream) -> stream.tokens().size() == 1));
		String first = this.streams.get(0).tokens().get(0).id();

		CLOCK.advance(Duration.ofSeconds(46));
		await().until(() -> this.tradovate.stats().successfulRenewals() == 1);
		long renewed = System.nanoTime();
		// the time it takes is a figure for bench/run, not for this test (a loaded
		// machine
		// may take long); a later token (say a login of the shared application's next
		// reset) must not hide that this one arrived
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.streams.stream().allMatch((stream) -> stream.tokens().size() >= 2));
		log.info("A renewal reached {} streams within {} ms", STREAMS,
				Duration.ofNanos(System.nanoTime() - renewed).toMillis());

		assertThat(this.streams).allSatisfy((stream) -> {
			assertThat(stream.tokens().get(0).id()).isEqualTo(first);
			assertThat(stream.tokens().get(1).id()).isNotEqualTo(first);
		});
		assertThat(this.streams.stream().map((stream) -> stream.tokens().get(1).id()).distinct()).hasSize(1);
		// one renewal however many listen
		assertThat(this.tradovate.stats().renewalCalls()).isEqualTo(1);
	}

}
