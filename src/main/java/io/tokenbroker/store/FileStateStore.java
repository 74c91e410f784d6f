package io.tokenbroker.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.SettingsException;

/**
 * Keeps records and ledgers in a local directory, one small file each, replaced
 * atomically and synced to disk on every change. The directory is locked for as long as
 * the broker runs: two brokers never share one.
 * <p>
 * Nobody else may have a hand in it: the directory belongs to the broker's user (or to
 * root, as a volume's mount point does) and no other user may write it; everything in it
 * (its two subdirectories, the lock, each record and ledger) belongs to the broker's user
 * and is no symbolic link, or start-up stops naming it. Files are created without
 * following links, temporary ones exclusively, and readable by their owner only.
 */
public class FileStateStore extends MemoryStateStore implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

	private static final String RECORD = ".record";

	private static final String LEDGER = ".ledger";

	private final Path directory;

	private final FileChannel lockChannel;

	private final FileLock lock;

	private final StoreMeter meter;

	private static final String WRITABLE = "Point broker.store.path at a directory the broker's user can create and "
			+ "write; in a container, mount a volume that user (uid 10001) owns.";

	private static final String PRIVATE = "Give the state directory (broker.store.path) and everything in it to the "
			+ "broker's user alone (chown, chmod o-w), and remove what someone else put there.";

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	public FileStateStore(Path directory, String replica, StoreMeter meter) {
		super(replica);
		this.meter = meter;
		this.directory = directory.toAbsolutePath().normalize();
		createPrivateDirectory(this.directory);
		UserPrincipal self = currentUser(this.directory);
		refuseStrangers(this.directory, self, true);
		for (String name : new String[] { "accounts", "ledgers" }) {
			Path subdirectory = this.directory.resolve(name);
			refuseLink(subdirectory);
			createPrivateDirectory(subdirectory);
			refuseStrangers(subdirectory, self, false);
			try (Stream<Path> files = Files.list(subdirectory)) {
				files.forEach((file) -> {
					refuseLink(file);
					refuseStrangers(file, self, false);
				});
			}
			catch (IOException ex) {
				throw new SettingsException("cannot list the state directory " + subdirectory + ": " + ex, WRITABLE,
						ex);
			}
			restrictToOwner(subdirectory);
		}
		restrictToOwner(this.directory);
		Path lockFile = this.directory.resolve("lock");
		refuseLink(lockFile);
		try {
			this.lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY);
			refuseStrangers(lockFile, self, false);
			restrictToOwner(lockFile);
			this.lock = tryLock(this.lockChannel);
		}
		catch (IOException ex) {
			throw new SettingsException(
					"broker.store.path " + this.directory + ": cannot open " + lockFile + " (" + ex.getMessage() + ")",
					WRITABLE, ex);
		}
		if (this.lock == null) {
			String holder = readQuietly(lockFile);
			close(this.lockChannel);
			throw new SettingsException(
					"broker.store.path " + this.directory + " is in use by another broker"
							+ (holder.isBlank() ? "" : " (" + holder + ")"),
					"Two brokers never share one state directory: give each its own broker.store.path, or run "
							+ "replicas on broker.store.type=redis.",
					null);
		}
		writeOwner(replica);
		loadRecords();
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// another broker in this same JVM holds it
			return null;
		}
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
		Path file = this.directory.resolve("ledgers").resolve(name + LEDGER);
		return new RollingHour(limit, readPermits(file), (permits) -> {
			try {
				writeAtomically("ledger", file, format(permits));
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
		try {
			this.lock.release();
		}
		catch (IOException ex) {
			log.debug("Releasing the lock on {} failed: {}", this.directory, ex.toString());
		}
		close(this.lockChannel);
	}

	private void loadRecords() {
		try (Stream<Path> files = Files.list(this.directory.resolve("accounts"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(RECORD)).forEach((file) -> {
				String name = file.getFileName().toString();
				String account = name.substring(0, name.length() - RECORD.length());
				String text = readQuietly(file);
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
			throw new SettingsException("cannot list the state directory " + this.directory + ": " + ex, WRITABLE, ex);
		}
	}

	/**
	 * The calls each hourly ledger of the directory counts, by ledger name: what
	 * {@link CopyStoreToRedis} copies.
	 */
	Map<String, List<HourlyLedger.Permit>> ledgerPermits() {
		Map<String, List<HourlyLedger.Permit>> ledgers = new TreeMap<>();
		try (Stream<Path> files = Files.list(this.directory.resolve("ledgers"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(LEDGER)).forEach((file) -> {
				String name = file.getFileName().toString();
				ledgers.put(name.substring(0, name.length() - LEDGER.length()), readPermits(file));
			});
		}
		catch (IOException ex) {
			throw new StoreUnavailableException("cannot list " + this.directory.resolve("ledgers") + ": " + ex, ex);
		}
		return ledgers;
	}

	private static List<HourlyLedger.Permit> readPermits(Path file) {
		List<HourlyLedger.Permit> permits = new ArrayList<>();
		if (!Files.exists(file)) {
			return permits;
		}
		for (String line : readQuietly(file).split("\n")) {
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

	private static String format(List<HourlyLedger.Permit> permits) {
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

	private void writeOwner(String replica) {
		String owner = "locked by " + replica + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ") since "
				+ Instant.now();
		try {
			this.lockChannel.truncate(0);
			this.lockChannel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
			this.lockChannel.force(true);
		}
		catch (IOException ex) {
			log.debug("Could not note the owner in the lock file: {}", ex.toString());
		}
	}

	/**
	 * Temporary file, fsync, atomic rename, fsync of the directory: never half a file.
	 */
	private void writeAtomically(String operation, Path file, String content) {
		this.meter.time(operation, () -> {
			writeAtomically(file, content);
			return file;
		});
	}

	private static void writeAtomically(Path file, String content) {
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try {
			// one broker holds the directory and writes each file under a lock: whatever
			// is there (a file left by a crash, a planted link) goes, without being
			// followed
			Files.deleteIfExists(temporary);
			try (FileChannel channel = FileChannel.open(temporary,
					Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
					OWNER_ONLY)) {
				restrictToOwner(temporary);
				channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
				channel.force(true);
			}
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
			}
			try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
				directory.force(true);
			}
			catch (IOException ex) {
				// some file systems cannot sync a directory; the rename is still atomic
			}
		}
		catch (IOException ex) {
			throw new StoreUnavailableException("cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}

	private static void createPrivateDirectory(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (FileAlreadyExistsException ex) {
			throw new SettingsException("broker.store.path: " + directory + " exists and is not a directory", WRITABLE,
					ex);
		}
		catch (IOException ex) {
			throw new SettingsException("broker.store.path: cannot create the state directory " + directory + " ("
					+ ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")", WRITABLE, ex);
		}
		if (!Files.isWritable(directory)) {
			throw new SettingsException(
					"broker.store.path: the state directory " + directory + " is not writable by this user", WRITABLE,
					null);
		}
	}

	/**
	 * The user this process writes files as: the owner of a file it creates (with a new,
	 * random name) in the directory.
	 */
	private static UserPrincipal currentUser(Path directory) {
		Path probe = null;
		try {
			probe = Files.createTempFile(directory, ".owner-", ".probe");
			return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new SettingsException("broker.store.path: cannot create a file in the state directory " + directory
					+ " (" + ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")", WRITABLE, ex);
		}
		finally {
			if (probe != null) {
				try {
					Files.deleteIfExists(probe);
				}
				catch (IOException ex) {
					log.debug("Could not delete {}: {}", probe, ex.toString());
				}
			}
		}
	}

	/**
	 * @param mountPoint whether root may own it (a volume's mount point): root can do
	 * anything anyway
	 * @throws SettingsException when another user owns it or, for a directory, when users
	 * other than its owner and group may write it
	 */
	private static void refuseStrangers(Path path, UserPrincipal self, boolean mountPoint) {
		try {
			PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			UserPrincipal owner = attributes.owner();
			if (!owner.equals(self) && !(mountPoint && ownedByRoot(path))) {
				throw new SettingsException("broker.store.path: " + path + " belongs to another user ("
						+ owner.getName() + "), not to the broker's (" + self.getName() + ")", PRIVATE, null);
			}
			if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
				throw new SettingsException("broker.store.path: " + path + " is writable by other users", PRIVATE,
						null);
			}
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: its own rights apply
		}
		catch (IOException ex) {
			throw new SettingsException("broker.store.path: cannot read the owner of " + path + " (" + ex + ")",
					WRITABLE, ex);
		}
	}

	private static boolean ownedByRoot(Path path) throws IOException {
		try {
			return Integer.valueOf(0).equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName());
		}
	}

	private static void refuseLink(Path path) {
		if (Files.isSymbolicLink(path)) {
			throw new SettingsException("broker.store.path: " + path + " is a symbolic link", PRIVATE, null);
		}
	}

	private static void restrictToOwner(Path path) {
		try {
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		}
		catch (UnsupportedOperationException | IOException ex) {
			// not a POSIX file system, or not ours to change: the directory's own rights
			// apply
		}
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void close(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing left to do
		}
	}

}
