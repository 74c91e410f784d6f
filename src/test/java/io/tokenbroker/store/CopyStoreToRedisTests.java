package io.tokenbroker.store;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.tokenbroker.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code copy-store-to-redis} against a real Redis that requires a password (Debian's
 * {@code redis-server} as a process): the records and the hourly budgets of a file store
 * land in Redis, a record Redis already holds is never overwritten, and the command
 * refuses to run beside a broker or without the right password.
 */
@Tag("application")
class CopyStoreToRedisTests {

	private static final String PASSWORD = "copy-test-redis-password";

	private static final String STORE_KEY = "q2lqS1pDN3JjdUxNMkZqT3ZTWWNhZ3lSSzdyQk5vcXk=";

	private static final String PREFIX = "copy-test:";

	private static RedisServer server;

	@TempDir
	Path state;

	private LettuceConnectionFactory connections;

	private StringRedisTemplate redis;

	private RedisStateStore fleet;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeAll
	static void startRedis() {
		server = RedisServer.start(PASSWORD);
	}

	@AfterAll
	static void stopRedis() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void connect() {
		this.connections = server.connect();
		this.redis = new StringRedisTemplate(this.connections);
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
		this.fleet = new RedisStateStore(this.redis, new RedisMessageListenerContainer(), PREFIX, "fleet", "test",
				java.time.Duration.ofSeconds(15), new StoreMeter(new SimpleMeterRegistry(), "redis"));
	}

	@AfterEach
	void disconnect() {
		this.connections.destroy();
	}

	/** A file store as one broker left it: two accounts and a budget with two calls. */
	private Instant fileStoreOfOneBroker() {
		Instant now = Instant.now();
		try (FileStateStore store = new FileStateStore(this.state, "single", meter())) {
			store.write("main", 1, 0, new StoredEntry(7, "{\"main\":7}"));
			store.write("other", 1, 0, new StoredEntry(3, "{\"other\":3}"));
			HourlyLedger failedLogins = store.ledger("failed-logins", 5);
			failedLogins.tryAcquire(now.minusSeconds(600), 0);
			failedLogins.tryAcquire(now.minusSeconds(60), 0);
			// older than the hour: Tradovate no longer counts it
			failedLogins.tryAcquire(now.minusSeconds(7200), 0);
		}
		return now;
	}

	private int copy(String... extra) {
		return copyFrom(this.state, extra);
	}

	private int copyFrom(Path path, String... extra) {
		List<String> args = new ArrayList<>(List.of(CopyStoreToRedis.COMMAND, "--broker.store.path=" + path,
				"--broker.store.prefix=" + PREFIX, "--broker.store.keys.k1=" + STORE_KEY));
		server.settings().forEach((setting) -> args.add("--" + setting));
		args.addAll(List.of(extra));
		this.out.reset();
		this.err.reset();
		return CopyStoreToRedis.run(args.toArray(String[]::new),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void everyRecordAndTheHoursCallsLandInRedisAndASecondRunChangesNothing() {
		Instant now = fileStoreOfOneBroker();

		assertThat(copy()).as(err()).isEqualTo(CopyStoreToRedis.COPIED);

		assertThat(out()).contains(" - account main: copied (revision 7)")
			.contains(" - account other: copied (revision 3)")
			.contains(" - hourly budget failed-logins: 2 calls of the last hour added")
			.contains("2 records copied.")
			.doesNotContain(PASSWORD)
			.doesNotContain(STORE_KEY);
		assertThat(this.fleet.read("main")).isEqualTo(new StoredEntry(7, "{\"main\":7}"));
		assertThat(this.fleet.read("other")).isEqualTo(new StoredEntry(3, "{\"other\":3}"));
		assertThat(this.fleet.ledger("failed-logins", 5).used(now)).isEqualTo(2);

		assertThat(copy()).isEqualTo(CopyStoreToRedis.COPIED);
		assertThat(out()).contains(" - account main: in Redis already").contains("0 records copied.");
		assertThat(this.fleet.ledger("failed-logins", 5).used(now)).isEqualTo(2);
	}

	@Test
	void aRecordABrokerOnRedisWroteIsNeverOverwritten() {
		fileStoreOfOneBroker();
		long fence = this.fleet.keepLeases(List.of(new LeaseClaim("main", true, 0))).get("main").fence();
		this.fleet.write("main", fence, 0, new StoredEntry(1, "{\"fleet\":1}"));

		assertThat(copy()).isEqualTo(CopyStoreToRedis.NOT_ALL_COPIED);

		assertThat(out()).contains(" - account main: LEFT ALONE: Redis holds another record for it")
			.contains(" - account other: copied (revision 3)")
			.contains("Left alone: main.");
		assertThat(this.fleet.read("main")).isEqualTo(new StoredEntry(1, "{\"fleet\":1}"));
	}

	@Test
	void itRefusesToRunBesideTheBrokerThatHoldsTheDirectory() {
		fileStoreOfOneBroker();
		try (FileStateStore running = new FileStateStore(this.state, "single", meter())) {
			assertThat(copy()).isEqualTo(CopyStoreToRedis.FAILED);
		}
		assertThat(err()).contains("is in use by another broker");
		assertThat(this.fleet.read("main")).isNull();
	}

	@Test
	void aWrongRedisPasswordCopiesNothingAndIsNotPrinted() {
		fileStoreOfOneBroker();

		assertThat(copy("--spring.data.redis.password=not-the-password")).isEqualTo(CopyStoreToRedis.FAILED);

		assertThat(err()).contains("Redis 127.0.0.1:" + server.port() + " failed on copy")
			.doesNotContain("not-the-password");
		assertThat(this.fleet.read("main")).isNull();
	}

	@Test
	void aDirectoryWithoutAFileStoreIsNamed() {
		assertThat(copyFrom(this.state.resolve("nothing"))).isEqualTo(CopyStoreToRedis.FAILED);
		assertThat(err()).contains("no file store in " + this.state.resolve("nothing"));
	}

	@Test
	void aFleetWithoutAStoreKeyIsRefusedBeforeAnythingIsCopied() {
		fileStoreOfOneBroker();
		List<String> args = new ArrayList<>(List.of(CopyStoreToRedis.COMMAND, "--broker.store.path=" + this.state));
		server.settings().forEach((setting) -> args.add("--" + setting));

		int status = CopyStoreToRedis.run(args.toArray(String[]::new),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));

		assertThat(status).isEqualTo(CopyStoreToRedis.FAILED);
		assertThat(this.fleet.read("main")).isNull();
	}

	@Test
	void argumentsThatAreNotSettingsAreRefused() {
		assertThat(copy("main")).isEqualTo(CopyStoreToRedis.USAGE_ERROR);
		assertThat(err()).contains("main is not a setting (--name=value)");
	}

	private static StoreMeter meter() {
		return new StoreMeter(new SimpleMeterRegistry(), "file");
	}

}
