package io.tokenbroker.events;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shutdown ends every token event stream at once, cleanly, instead of letting the
 * graceful shutdown wait for streams that never end by themselves.
 */
@Tag("application")
@ExtendWith(OutputCaptureExtension.class)
class TokenEventsShutdownTests {

	@Test
	void theShutdownEndsEveryStreamCleanlyAndPromptly(CapturedOutput output) {
		int port = FreePorts.next();
		ConfigurableApplicationContext broker = new SpringApplicationBuilder(TokenBrokerApplication.class)
			.profiles("sim")
			.run("--server.port=" + port, "--spring.main.banner-mode=off");
		try (EventStream stream = EventStream.open(port, "/token/events", "sim-demo-key", null)) {
			await().until(() -> new BrokerCaller(port, "sim-demo-key").get("/token").statusCode() == 200);
			await().until(() -> stream.tokens().size() == 1);

			broker.close();

			await().atMost(Duration.ofSeconds(5)).until(stream::ended);
			// ended by the broker before the graceful shutdown, not cut by its time-out
			assertThat(output).contains("Ended 1 token event streams for the shutdown")
				.doesNotContain("Graceful shutdown aborted");
		}
		finally {
			broker.close();
		}
	}

}
