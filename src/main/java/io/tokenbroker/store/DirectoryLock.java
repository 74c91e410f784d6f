package io.tokenbroker.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.SettingsException;

/**
 * The lock on a state directory, held for as long as the broker runs: two brokers never
 * share one. Its file, {@code lock}, names the replica that holds it, for the error the
 * next one gets.
 */
final class DirectoryLock implements AutoCloseable {

	// the store's lines keep the store's logger
	private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

	private final Path directory;

	private final FileChannel channel;

	private final FileLock lock;

	private DirectoryLock(Path directory, FileChannel channel, FileLock lock) {
		this.directory = directory;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the lock on the directory for this replica.
	 * @param self the broker's user, who must own the lock file
	 * @throws SettingsException when another broker holds it, or the lock file cannot be
	 * opened or belongs to someone else
	 */
	static DirectoryLock take(Path directory, UserPrincipal self, String replica) {
		Path lockFile = directory.resolve("lock");
		PrivateFiles.refuseLink(lockFile);
		FileChannel channel;
		FileLock lock;
		try {
			channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PrivateFiles.OWNER_ONLY);
			PrivateFiles.refuseStrangers(lockFile, self, false);
			PrivateFiles.restrictToOwner(lockFile);
			lock = tryLock(channel);
		}
		catch (IOException ex) {
			throw new SettingsException(
					"broker.store.path " + directory + ": cannot open " + lockFile + " (" + ex.getMessage() + ")",
					PrivateFiles.WRITABLE, ex);
		}
		if (lock == null) {
			String holder = PrivateFiles.readQuietly(lockFile);
			close(channel);
			throw new SettingsException(
					"broker.store.path " + directory + " is in use by another broker"
							+ (holder.isBlank() ? "" : " (" + holder + ")"),
					"Two brokers never share one state directory: give each its own broker.store.path, or run "
							+ "replicas on broker.store.type=redis.",
					null);
		}
		DirectoryLock taken = new DirectoryLock(directory, channel, lock);
		taken.writeOwner(replica);
		return taken;
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

	private void writeOwner(String replica) {
		String owner = "locked by " + replica + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ") since "
				+ Instant.now();
		try {
			this.channel.truncate(0);
			this.channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
			this.channel.force(true);
		}
		catch (IOException ex) {
			log.debug("Could not note the owner in the lock file: {}", ex.toString());
		}
	}

	/** Releases the lock: another broker may take the directory. */
	@Override
	public void close() {
		try {
			this.lock.release();
		}
		catch (IOException ex) {
			log.debug("Releasing the lock on {} failed: {}", this.directory, ex.toString());
		}
		close(this.channel);
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
