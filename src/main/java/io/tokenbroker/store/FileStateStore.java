package io.tokenbroker.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.SettingsException;

/**
 * Keeps records and ledgers in a local directory, one small file each, replaced
 * atomically and synced to disk on every change. The directory is locked for as long as
 * the broker runs: two brokers never share one ({@link DirectoryLock}).
 * <p>
 * Nobody else may have a hand in it ({@link PrivateFiles}): the directory belongs to the
 * broker's user (or to root, as a volume's mount point does) and no other user may write
 * it; everything in it (its two subdirectories, the lock, each record and ledger) belongs
 * to the broker's user and is no symbolic link, or start-up stops naming it. Files are
 * created without following links, temporary ones exclusively, and readable by their
 * owner only. A record's file holds its revision on the first line, then its content; a
 * ledger's is a {@link LedgerFile}.
 */
public class FileStateStore extends MemoryStateStore implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

	private static final String RECORD = ".record";

	private final Path directory;

	private final DirectoryLock lock;

	private final StoreMeter meter;

	public FileStateStore(Path directory, String replica, StoreMeter meter) {
		super(replica);
		this.meter = meter;
		this.directory = directory.toAbsolutePath().normalize();
		UserPrincipal self = PrivateFiles.claim(this.directory, List.of("accounts", "ledgers"));
		this.lock = DirectoryLock.take(this.directory, self, replica);
		loadRecords();
	}

	@Override
	public String describe() {
		return "file " + this.directory;
	}

	@Override
	void stored(String account, StoredEntry entry) {
		writeAtomically("write", this.directory.resolve("accounts").resolve(account + RECORD),
				entry.revision() + "\n" + entry.content());
	}

	@Override
	HourlyLedger newLedger(String name, int limit) {
		Path file = this.directory.resolve("ledgers").resolve(name + LedgerFile.SUFFIX);
		return new RollingHour(limit, LedgerFile.read(file), (permits) -> {
			try {
				writeAtomically("ledger", file, LedgerFile.format(permits));
			}
			catch (StoreUnavailableException ex) {
				// counted in memory all the same; health reports the store down
				log.error("The hourly ledger {} could not be written: {}", file, ex.getMessage());
			}
		});
	}

	@Override
	public void check() {
		if (!Files.isDirectory(this.directory) || !Files.isWritable(this.directory)) {
			throw new StoreUnavailableException("the state directory " + this.directory + " is gone or not writable",
					null);
		}
		if (this.meter.problem() != null) {
			throw new StoreUnavailableException(this.meter.problem(), null);
		}
	}

	@Override
	public void close() {
		this.lock.close();
	}

	private void loadRecords() {
		try (Stream<Path> files = Files.list(this.directory.resolve("accounts"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(RECORD)).forEach((file) -> {
				String name = file.getFileName().toString();
				String account = name.substring(0, name.length() - RECORD.length());
				String text = PrivateFiles.readQuietly(file);
				int newline = text.indexOf('\n');
				try {
					restore(account,
							new StoredEntry(Long.parseLong(text.substring(0, newline)), text.substring(newline + 1)));
				}
				catch (RuntimeException ex) {
					// kept out of the store: the account starts as if nothing was known
					log.error("State file {} is damaged and is ignored ({}); move it away to silence this", file,
							ex.getClass().getSimpleName());
				}
			});
		}
		catch (IOException ex) {
			throw new SettingsException("cannot list the state directory " + this.directory + ": " + ex,
					PrivateFiles.WRITABLE, ex);
		}
	}

	/**
	 * The calls each hourly ledger of the directory counts, by ledger name: what
	 * {@link CopyStoreToRedis} copies.
	 */
	Map<String, List<HourlyLedger.Permit>> ledgerPermits() {
		Map<String, List<HourlyLedger.Permit>> ledgers = new TreeMap<>();
		try (Stream<Path> files = Files.list(this.directory.resolve("ledgers"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(LedgerFile.SUFFIX)).forEach((file) -> {
				String name = file.getFileName().toString();
				ledgers.put(name.substring(0, name.length() - LedgerFile.SUFFIX.length()), LedgerFile.read(file));
			});
		}
		catch (IOException ex) {
			throw new StoreUnavailableException("cannot list " + this.directory.resolve("ledgers") + ": " + ex, ex);
		}
		return ledgers;
	}

	/**
	 * Writes a file as {@link PrivateFiles#writeAtomically} does, timed as this
	 * operation.
	 */
	private void writeAtomically(String operation, Path file, String content) {
		this.meter.time(operation, () -> {
			PrivateFiles.writeAtomically(file, content);
			return file;
		});
	}

}
