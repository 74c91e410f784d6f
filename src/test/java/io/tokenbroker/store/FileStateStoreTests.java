package io.tokenbroker.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokenbroker.account.SettingsException;
import io.tokenbroker.caller.CallerKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file store on a real directory: what it writes outlives it, nobody else can read
 * it, damage is survived, and a second broker process on the same directory stops at
 * start saying why.
 */
class FileStateStoreTests {

	private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

	@TempDir
	Path directory;

	private FileStateStore open() {
		return new FileStateStore(this.directory, "test", new StoreMeter(new SimpleMeterRegistry(), "file"));
	}

	@Test
	void recordsAndLedgersOutliveTheStore() {
		try (FileStateStore store = open()) {
			store.write("main", 1, 0, new StoredEntry(1, "{\"first\":true}"));
			store.write("main", 1, 1, new StoredEntry(2, "{\"second\":true}"));
			store.ledger("failed-logins", 5).tryAcquire(NOW, 0);
		}

		try (FileStateStore reopened = open()) {
			assertThat(reopened.read("main")).isEqualTo(new StoredEntry(2, "{\"second\":true}"));
			assertThat(reopened.ledger("failed-logins", 5).used(NOW.plusSeconds(1))).isEqualTo(1);
			assertThat(reopened.write("main", 1, 1, new StoredEntry(3, "{}"))).isEqualTo(WriteOutcome.CONFLICT);
		}
	}

	@Test
	void onlyTheBrokersUserMayReadTheState() throws IOException {
		try (FileStateStore store = open()) {
			store.write("main", 1, 0, new StoredEntry(1, "{}"));
		}

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions
			.toString(Files.getPosixFilePermissions(this.directory.resolve("accounts/main.record"))))
			.isEqualTo("rw-------");
	}

	@Test
	void theLockFileIsPrivateToo() throws IOException {
		try (FileStateStore store = open()) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.directory.resolve("lock"))))
				.isEqualTo("rw-------");
		}
	}

	@Test
	void aLinkPlantedInPlaceOfATemporaryFileIsNeverWrittenThrough(@TempDir Path elsewhere) throws IOException {
		Path victim = Files.writeString(elsewhere.resolve("victim"), "somebody else's file\n");
		try (FileStateStore store = open()) {
			Files.createSymbolicLink(this.directory.resolve("accounts/main.record.tmp"), victim);

			store.write("main", 1, 0, new StoredEntry(1, "{\"kept\":true}"));
		}

		assertThat(Files.readString(victim)).isEqualTo("somebody else's file\n");
		try (FileStateStore reopened = open()) {
			assertThat(reopened.read("main")).isEqualTo(new StoredEntry(1, "{\"kept\":true}"));
		}
	}

	@Test
	void aLinkPlantedAnywhereInTheDirectoryStopsTheStart(@TempDir Path elsewhere) throws IOException {
		Path victim = Files.writeString(elsewhere.resolve("victim"), "1\n{}");
		for (String planted : List.of("lock", "accounts/other.record", "ledgers/renewals.ledger.tmp")) {
			open().close();
			Path link = this.directory.resolve(planted);
			Files.deleteIfExists(link);
			Files.createSymbolicLink(link, victim);

			assertThatExceptionOfType(SettingsException.class).isThrownBy(this::open)
				.withMessageContaining(link + " is a symbolic link");
			assertThat(Files.readString(victim)).isEqualTo("1\n{}");
			Files.delete(link);
		}
	}

	@Test
	void aDirectoryOthersMayWriteIsRefused() throws IOException {
		open().close();
		Files.setPosixFilePermissions(this.directory.resolve("accounts"), PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThatExceptionOfType(SettingsException.class).isThrownBy(this::open)
			.withMessageContaining(this.directory.resolve("accounts") + " is writable by other users");
	}

	@Test
	void aDirectoryOrFileOfAnotherUserIsRefused() throws IOException {
		open().close();
		Files.writeString(this.directory.resolve("accounts/other.record"), "1\n{}");
		assumeTrue(chown(this.directory.resolve("accounts/other.record"), 4242), "only root can give files away");

		assertThatExceptionOfType(SettingsException.class).isThrownBy(this::open)
			.withMessageContaining(this.directory.resolve("accounts/other.record") + " belongs to another user");

		Files.delete(this.directory.resolve("accounts/other.record"));
		chown(this.directory, 4242);
		assertThatExceptionOfType(SettingsException.class).isThrownBy(this::open)
			.withMessageContaining(this.directory + " belongs to another user");
	}

	private static boolean chown(Path path, int uid) {
		try {
			Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
			return true;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	@Test
	void aDamagedRecordIsSkippedAndTheOthersAreRead() throws IOException {
		try (FileStateStore store = open()) {
			store.write("main", 1, 0, new StoredEntry(1, "{}"));
		}
		Files.writeString(this.directory.resolve("accounts/broken.record"), "not a revision\n{");

		try (FileStateStore reopened = open()) {
			assertThat(reopened.read("broken")).isNull();
			assertThat(reopened.read("main")).isNotNull();
		}
	}

	@Test
	void aPathThatIsAFileIsRefusedWithWhatToDo() throws IOException {
		Path file = Files.writeString(this.directory.resolve("state"), "");

		assertThatExceptionOfType(SettingsException.class)
			.isThrownBy(() -> new FileStateStore(file, "test", new StoreMeter(new SimpleMeterRegistry(), "file")))
			.withMessageContaining("exists and is not a directory")
			.satisfies((ex) -> assertThat(ex.action()).contains("uid 10001"));
	}

	@Test
	@Tag("application")
	void aSecondBrokerProcessOnTheSameDirectoryStopsAtStartSayingWhy() throws Exception {
		try (FileStateStore first = open()) {
			Process second = startBroker();
			assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
			String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(second.exitValue()).isNotZero();
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("is in use by another broker (locked by test")
				.contains("give each its own broker.store.path");
		}
	}

	/** The broker's own main class in a new JVM, on the test's class path. */
	private Process startBroker() throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), "io.tokenbroker.TokenBrokerApplication", "--server.port=0",
				"--spring.main.banner-mode=off", "--broker.store.type=file", "--broker.store.path=" + this.directory,
				"--broker.accounts.main.username=u", "--broker.accounts.main.password=p",
				"--broker.accounts.main.app-id=a", "--broker.accounts.main.cid=1", "--broker.accounts.main.secret=s",
				"--broker.clients.c.key-sha256=" + CallerKeys.hash("k")));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

}
