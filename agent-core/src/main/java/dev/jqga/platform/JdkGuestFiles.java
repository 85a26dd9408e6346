package dev.jqga.platform;

import dev.jqga.schema.QGASeek;
import dev.jqga.server.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Guest files through {@link FileChannel}, for platforms without a native binding. Differences
 * from qemu-ga it cannot avoid: files are opened blocking (a FIFO without a writer blocks the
 * open), and append mode is emulated by moving to the end before each write.
 */
final class JdkGuestFiles implements GuestFiles {

    @Override
    public GuestFile open(String path, OpenMode mode, boolean exclusive) throws OsException {
        if (path.isEmpty()) {
            throw new OsException(OsException.ENOENT, "No such file or directory");
        }
        Set<StandardOpenOption> options = EnumSet.noneOf(StandardOpenOption.class);
        if (mode.read()) {
            options.add(StandardOpenOption.READ);
        }
        if (mode.write()) {
            options.add(StandardOpenOption.WRITE);
        }
        if (mode.create()) {
            options.add(exclusive ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        if (mode.truncate()) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        try {
            Path p = Path.of(path);
            FileChannel channel = FileChannel.open(p, options);
            return new JdkGuestFile(p, channel, mode.append(), Files.isRegularFile(p));
        } catch (IOException e) {
            throw os(e);
        } catch (InvalidPathException e) {
            throw new OsException(OsException.ENOENT, "No such file or directory");
        }
    }

    @Override
    public void remove(String path) throws OsException {
        try {
            Files.delete(Path.of(path));
        } catch (IOException e) {
            throw os(e);
        }
    }

    static OsException os(IOException e) {
        int errno = e instanceof NoSuchFileException
                ? OsException.ENOENT
                : e instanceof AccessDeniedException
                        ? OsException.EACCES
                        : e instanceof FileAlreadyExistsException ? OsException.EEXIST : 0;
        return new OsException(errno, Errors.text(e));
    }

    /** One {@link FileChannel}. */
    private static final class JdkGuestFile implements GuestFile {
        private final Path path;
        private final FileChannel channel;
        private final boolean append;
        private final boolean regular;

        JdkGuestFile(Path path, FileChannel channel, boolean append, boolean regular) {
            this.path = path;
            this.channel = channel;
            this.append = append;
            this.regular = regular;
        }

        @Override
        public int read(byte[] b, int off, int len) throws OsException {
            try {
                return Math.max(0, channel.read(ByteBuffer.wrap(b, off, len)));
            } catch (NonReadableChannelException e) {
                throw badDescriptor();
            } catch (IOException e) {
                throw os(e);
            }
        }

        @Override
        public int write(byte[] b, int off, int len) throws OsException {
            try {
                if (append) {
                    channel.position(channel.size());
                }
                return channel.write(ByteBuffer.wrap(b, off, len));
            } catch (NonWritableChannelException e) {
                throw badDescriptor();
            } catch (IOException e) {
                throw os(e);
            }
        }

        /** What read(2)/write(2) say on a descriptor not opened for it. */
        private static OsException badDescriptor() {
            return new OsException(OsException.EBADF, "Bad file descriptor");
        }

        @Override
        public long seek(long offset, QGASeek whence) throws OsException {
            try {
                long base = switch (whence) {
                    case SET -> 0;
                    case CUR -> channel.position();
                    case END -> channel.size();
                };
                long target = base + offset;
                if (target < 0) {
                    throw new OsException(OsException.EINVAL, "Invalid argument");
                }
                channel.position(target);
                return target;
            } catch (IOException e) {
                throw os(e);
            }
        }

        @Override
        public long remaining() {
            if (!regular) {
                return -1;
            }
            try {
                return Math.max(0, channel.size() - channel.position());
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void setNewFileMode() throws OsException {
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (UnsupportedOperationException notPosix) {
                // no permission bits on this file system
            } catch (IOException e) {
                throw os(e);
            }
        }

        @Override
        public void close() throws OsException {
            try {
                channel.close();
            } catch (IOException e) {
                throw os(e);
            }
        }
    }
}
