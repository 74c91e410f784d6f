package io.tokenbroker.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An hourly ledger's file: one line per call, read back as written, damaged lines
 * skipped, a missing file an empty ledger.
 */
class LedgerFileTests {

	private static final Instant SPENT = Instant.parse("2026-01-05T10:00:00.123Z");

	@TempDir
	Path directory;

	@Test
	void callsAreReadBackAsWritten() throws Exception {
		List<HourlyLedger.Permit> permits = List.of(new HourlyLedger.Permit("a", SPENT, null),
				new HourlyLedger.Permit("b", SPENT.plusSeconds(1), SPENT.plusSeconds(11)));
		Path file = this.directory.resolve("renewals" + LedgerFile.SUFFIX);

		String text = LedgerFile.format(permits);
		Files.writeString(file, text);

		assertThat(text).isEqualTo("a " + SPENT.toEpochMilli() + "\nb " + SPENT.plusSeconds(1).toEpochMilli() + " "
				+ SPENT.plusSeconds(11).toEpochMilli() + "\n");
		assertThat(LedgerFile.read(file)).isEqualTo(permits);
	}

	@Test
	void damagedLinesAreSkippedAndAMissingFileCountsNothing() throws Exception {
		Path file = this.directory.resolve("logins" + LedgerFile.SUFFIX);
		Files.writeString(file, "a 12\nb not-a-time\nc\n d 13 14 \ne 1 2 3\n");

		assertThat(LedgerFile.read(file)).containsExactly(new HourlyLedger.Permit("a", Instant.ofEpochMilli(12), null),
				new HourlyLedger.Permit("d", Instant.ofEpochMilli(13), Instant.ofEpochMilli(14)));
		assertThat(LedgerFile.read(this.directory.resolve("none" + LedgerFile.SUFFIX))).isEmpty();
	}

}
