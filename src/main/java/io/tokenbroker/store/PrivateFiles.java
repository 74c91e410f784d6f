package io.tokenbroker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.SettingsException;

/**
 * The state directory's files, in which nobody else may have a hand: the directory
 * belongs to the broker's user (or to root, as a volume's mount point does) and no other
 * user may write it; everything in it belongs to the broker's user and is no symbolic
 * link, or start-up stops naming it. Files are created without following links, temporary
 * ones exclusively, readable by their owner only, and replaced atomically.
 */
final class PrivateFiles {

	// the store's lines keep the store's logger
	private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

	/** What to do when the directory cannot be used. */
	static final String WRITABLE = "Point broker.store.path at a directory the broker's user can create and "
			+ "write; in a container, mount a volume that user (uid 10001) owns.";

	private static final String PRIVATE = "Give the state directory (broker.store.path) and everything in it to the "
			+ "broker's user alone (chown, chmod o-w), and remove what someone else put there.";

	static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private PrivateFiles() {
	}

	/**
	 * Creates the directory and its subdirectories, or checks the ones there and every
	 * file in the subdirectories, and leaves them to their owner alone.
	 * @return the broker's user
	 * @throws SettingsException when they cannot be created, or someone else has a hand
	 * in them
	 */
	static UserPrincipal claim(Path directory, List<String> subdirectories) {
		createDirectory(directory);
		UserPrincipal self = currentUser(directory);
		refuseStrangers(directory, self, true);
		for (String name : subdirectories) {
			Path subdirectory = directory.resolve(name);
			refuseLink(subdirectory);
			createDirectory(subdirectory);
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
		restrictToOwner(directory);
		return self;
	}

	/**
	 * Temporary file, fsync, atomic rename, fsync of the directory: never half a file.
	 * @throws StoreUnavailableException when the file cannot be written
	 */
	static void writeAtomically(Path file, String content) {
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

	/** A file's text, or empty when it cannot be read. */
	static String readQuietly(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void createDirectory(Path directory) {
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
	static void refuseStrangers(Path path, UserPrincipal self, boolean mountPoint) {
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

	static void refuseLink(Path path) {
		if (Files.isSymbolicLink(path)) {
			throw new SettingsException("broker.store.path: " + path + " is a symbolic link", PRIVATE, null);
		}
	}

	static void restrictToOwner(Path path) {
		try {
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		}
		catch (UnsupportedOperationException | IOException ex) {
			// not a POSIX file system, or not ours to change: the directory's own rights
			// apply
		}
	}

}
