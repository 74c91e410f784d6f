package io.tokenbroker.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an hourly ledger is kept in the state directory: one line per call counted, its id
 * and when it was spent, in epoch milliseconds, and for a call whose answer is awaited,
 * until when it counts without one ({@code id spentAt [pendingUntil]}).
 */
final class LedgerFile {

	// the store's lines keep the store's logger
	private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

	/** What the name of a ledger's file ends in. */
	static final String SUFFIX = ".ledger";

	private LedgerFile() {
	}

	/**
	 * The calls a ledger's file counts; none when it does not exist, damaged lines
	 * skipped.
	 */
	static List<HourlyLedger.Permit> read(Path file) {
		List<HourlyLedger.Permit> permits = new ArrayList<>();
		if (!Files.exists(file)) {
			return permits;
		}
		for (String line : PrivateFiles.readQuietly(file).split("\n")) {
			String[] parts = line.strip().split(" ");
			if (parts.length == 2 || parts.length == 3) {
				try {
					permits.add(new HourlyLedger.Permit(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])),
							(parts.length == 3) ? Instant.ofEpochMilli(Long.parseLong(parts[2])) : null));
				}
				catch (NumberFormatException ex) {
					log.warn("Skipping a damaged line of {}", file);
				}
			}
		}
		return permits;
	}

	/** The content of a ledger's file that counts these calls. */
	static String format(List<HourlyLedger.Permit> permits) {
		StringBuilder text = new StringBuilder();
		permits.forEach((permit) -> {
			text.append(permit.id()).append(' ').append(permit.spentAt().toEpochMilli());
			if (permit.pendingUntil() != null) {
				text.append(' ').append(permit.pendingUntil().toEpochMilli());
			}
			text.append('\n');
		});
		return text.toString();
	}

}
