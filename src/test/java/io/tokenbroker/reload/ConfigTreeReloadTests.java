package io.tokenbroker.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.reload.SettingsReload.Outcome;
import io.tokenbroker.session.AccountSessions;
import io.tokenbroker.session.SessionState;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.Brokers;
import io.tokenbroker.testing.Brokers.Started;
import io.tokenbroker.testing.EventStream;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker whose secrets are files in a {@code configtree} directory, as Kubernetes
 * mounts a Secret, against the standalone simulator: the files are rewritten while it
 * runs, and each change is taken, or refused, without a restart.
 */
@Tag("application")
class ConfigTreeReloadTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	@TempDir
	Path secrets;

	private Started simulator;

	private SimulatedTradovate tradovate;

	@BeforeEach
	void startSimulator() {
		String user = "simulator.users.alice.";
		this.simulator = Brokers.simulator(this.clock, user + "password=sim-password", user + "app-id=sim-app",
				user + "cid=1", user + "secret=sim-secret");
		this.tradovate = this.simulator.bean(SimulatedTradovate.class);
	}

	@AfterEach
	void stopSimulator() {
		this.simulator.close();
	}

	private void write(String setting, String value) throws IOException {
		// as Kubernetes writes them: the value and a newline
		Files.writeString(this.secrets.resolve(setting), value + "\n");
	}

	private Started broker(String checkInterval) {
		String alice = "broker.accounts.alice.";
		return Brokers.broker(this.clock, this.simulator.port(), List.of(),
				"spring.config.import=configtree:" + this.secrets + "/",
				"broker.reload.check-interval=" + checkInterval, "broker.renewal.check-interval=20ms",
				alice + "base-url=http://127.0.0.1:" + this.simulator.port() + "/v1", alice + "username=alice",
				alice + "app-id=sim-app", alice + "cid=1", alice + "device-id=device-alice");
	}

	private static BrokerCaller bot(Started broker, String key) {
		return new BrokerCaller(broker.port(), key);
	}

	private static SessionState state(Started broker) {
		return broker.bean(AccountSessions.class).find("alice").orElseThrow().snapshot().state();
	}

	private static double reloads(Started broker, String outcome) {
		return broker.bean(MeterRegistry.class)
			.get("broker.settings.reloads")
			.tag("outcome", outcome)
			.counter()
			.count();
	}

	@Test
	void passwordKeysAndClientsChangeInTheFilesWithoutARestart() throws IOException {
		write("broker.accounts.alice.password", "wrong");
		write("broker.accounts.alice.secret", "sim-secret");
		write("broker.clients.bot.key-sha256", CallerKeys.hash("bot-key-1"));
		write("broker.clients.bot.accounts", "alice");
		try (Started broker = broker("0")) {
			SettingsReload reload = broker.bean(SettingsReload.class);
			await().until(() -> state(broker) == SessionState.REJECTED);
			assertThat(bot(broker, "bot-key-1").get("/token/alice").statusCode()).isEqualTo(503);

			// the password fixed and a key rotation begun, in one change
			write("broker.accounts.alice.password", "sim-password");
			write("broker.clients.bot.key-sha256", CallerKeys.hash("bot-key-1") + "," + CallerKeys.hash("bot-key-2"));
			assertThat(reload.check()).isEqualTo(Outcome.APPLIED);
			await().until(() -> bot(broker, "bot-key-2").get("/token/alice").statusCode() == 200);
			assertThat(bot(broker, "bot-key-1").get("/token/alice").statusCode()).isEqualTo(200);
			assertThat(this.tradovate.stats().loginCalls()).isEqualTo(2);

			// the rotation ends: the old key goes
			write("broker.clients.bot.key-sha256", CallerKeys.hash("bot-key-2"));
			assertThat(reload.check()).isEqualTo(Outcome.APPLIED);
			assertThat(bot(broker, "bot-key-1").get("/token/alice").statusCode()).isEqualTo(401);

			// a raw key pasted where its digest belongs: refused whole, the rest kept
			write("broker.clients.bot.key-sha256", "bot-key-3");
			write("broker.accounts.alice.password", "another");
			assertThat(reload.check()).isEqualTo(Outcome.REFUSED);
			assertThat(bot(broker, "bot-key-2").get("/token/alice").statusCode()).isEqualTo(200);
			assertThat(reloads(broker, "refused")).isOne();

			// the client removed: its key is refused at once
			Files.delete(this.secrets.resolve("broker.clients.bot.key-sha256"));
			Files.delete(this.secrets.resolve("broker.clients.bot.accounts"));
			write("broker.accounts.alice.password", "sim-password");
			assertThat(reload.check()).isEqualTo(Outcome.APPLIED);
			assertThat(bot(broker, "bot-key-2").get("/token/alice").statusCode()).isEqualTo(401);
			assertThat(broker.caller().get("/token/alice").statusCode()).isEqualTo(200);
			assertThat(reloads(broker, "applied")).isEqualTo(3);
		}
	}

	@Test
	void theScheduleNoticesChangedFilesAndARemovedClientsStreamEnds() throws IOException {
		write("broker.accounts.alice.password", "sim-password");
		write("broker.accounts.alice.secret", "sim-secret");
		try (Started broker = broker("100ms")) {
			assertThat(bot(broker, "new-key").get("/token/alice").statusCode()).isEqualTo(401);

			write("broker.clients.newbot.key-sha256", CallerKeys.hash("new-key"));
			write("broker.clients.newbot.accounts", "alice");

			// awaited on the metric: each wrong key counts towards the address's lock-out
			await().atMost(Duration.ofSeconds(30)).until(() -> reloads(broker, "applied") == 1);
			assertThat(bot(broker, "new-key").get("/token/alice").statusCode()).isEqualTo(200);

			// the client removed: its event stream ends too
			try (EventStream stream = EventStream.open(broker.port(), "/token/alice/events", "new-key", null)) {
				await().until(() -> stream.tokens().size() == 1);
				Files.delete(this.secrets.resolve("broker.clients.newbot.key-sha256"));
				Files.delete(this.secrets.resolve("broker.clients.newbot.accounts"));
				await().atMost(Duration.ofSeconds(30)).until(stream::ended);
			}
			assertThat(reloads(broker, "applied")).isEqualTo(2);
			assertThat(bot(broker, "new-key").get("/token/alice").statusCode()).isEqualTo(401);
		}
	}

}
