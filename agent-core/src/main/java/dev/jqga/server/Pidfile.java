package dev.jqga.server;

import dev.jqga.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The daemon's pidfile, as qemu-ga writes it: created 0600, a write lock on the whole file held
 * for the life of the process (on Linux {@link FileChannel#tryLock} is fcntl F_SETLK, the lock
 * qemu-ga takes, so the two exclude each other), the inode re-checked after locking in case the
 * file was replaced, then {@code <pid>\n}. A second agent on the same pidfile refuses to start.
 */
public final class Pidfile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private Pidfile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    public static Pidfile write(Path path, long pid) throws ConfigException {
        while (true) {
            FileChannel ch;
            try {
                ch = FileChannel.open(
                        path,
                        java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (IOException e) {
                throw new ConfigException("Could not create '" + path + "': " + Errors.text(e));
            }
            try {
                Object inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    throw new ConfigException("Cannot lock pid file: Resource temporarily unavailable");
                }
                if (!sameInode(path, inode)) {
                    ch.close(); // replaced while we locked it: lock the new one
                    continue;
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return new Pidfile(path, ch);
            } catch (IOException e) {
                closeQuietly(ch);
                throw new ConfigException("Failed to write pid file: " + Errors.text(e));
            } catch (ConfigException e) {
                closeQuietly(ch);
                throw e;
            }
        }
    }

    private static boolean sameInode(Path path, Object inode) {
        try {
            return inode.equals(Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException gone) {
            return false;
        }
    }

    /** Removes the pidfile, then drops the lock (the daemon is leaving). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // nothing more to do on the way out
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
