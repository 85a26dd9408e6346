package dev.jqga.commands;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.Opt;
import dev.jqga.log.Log;
import dev.jqga.platform.GuestFile;
import dev.jqga.platform.GuestFiles;
import dev.jqga.platform.OpenMode;
import dev.jqga.platform.OsException;
import dev.jqga.protocol.Base64Data;
import dev.jqga.protocol.PayloadBuffer;
import dev.jqga.protocol.QgaException;
import dev.jqga.protocol.QmpJson;
import dev.jqga.schema.GuestFileRead;
import dev.jqga.schema.GuestFileSeek;
import dev.jqga.schema.GuestFileWhence;
import dev.jqga.schema.GuestFileWrite;
import dev.jqga.schema.QGASeek;
import dev.jqga.server.PersistentState;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * guest-file-open, -close, -read, -write, -seek and -flush, as qemu-ga 10 has them: handles from
 * the persistent counter (1000 up, committed before the reply, never reused), fopen modes, 0666 on
 * files it creates, and qemu's texts. Called on the request thread only.
 *
 * <p>qemu-ga reads and writes through stdio; the platform's files are unbuffered, so its implicit
 * flush (read after write) cannot fail and its implicit seek (write after read) is kept only for
 * its one visible effect, "Illegal seek" on a pipe. Two deliberate differences, both about never
 * losing bytes: a read that gets data and then EAGAIN (a FIFO drained) returns the data instead of
 * an error that drops it, and a write that got some bytes out before EAGAIN reports that count.
 */
public final class FileCommands {
    /** Bytes read when guest-file-read has no count. */
    static final long DEFAULT_READ_COUNT = 4096;
    /** The largest count guest-file-read takes (48 MiB). */
    static final long MAX_READ_COUNT = 48L << 20;
    /** First buffer for a read whose size the file cannot tell (pipes, devices); it grows. */
    private static final int UNSIZED_READ_START = 64 * 1024;
    /** Decoded bytes handed to the file at once by guest-file-write. */
    private static final int WRITE_CHUNK = 1 << 20;

    public record OpenArgs(String path, @Opt String mode) {}

    public record HandleArgs(long handle) {}

    public record ReadArgs(long handle, @Opt Long count) {}

    public record WriteArgs(
            long handle, Base64Data bufB64, @Opt Long count) {}

    public record SeekArgs(long handle, long offset, GuestFileWhence whence) {}

    /** The last operation on a handle, for stdio's flush/seek rules between reads and writes. */
    private enum LastOp {
        NONE,
        READ,
        WRITE
    }

    private static final class OpenHandle {
        final GuestFile file;
        LastOp last = LastOp.NONE;

        OpenHandle(GuestFile file) {
            this.file = file;
        }
    }

    private final CommandRegistry registry;
    private final PersistentState state;
    private final GuestFiles files;
    private final PayloadBuffer payload;
    private final Log log;
    private final Map<Long, OpenHandle> handles = new HashMap<>();

    public FileCommands(
            CommandRegistry registry, PersistentState state, GuestFiles files, PayloadBuffer payload, Log log) {
        this.registry = registry;
        this.state = state;
        this.files = files;
        this.payload = payload;
        this.log = log;
    }

    public void register() {
        registry.register("guest-file-open", OpenArgs.class, this::open);
        registry.register("guest-file-close", HandleArgs.class, this::close);
        registry.register("guest-file-read", ReadArgs.class, this::read);
        registry.register("guest-file-write", WriteArgs.class, this::write);
        registry.register("guest-file-seek", SeekArgs.class, this::seek);
        registry.register("guest-file-flush", HandleArgs.class, this::flush);
    }

    long open(OpenArgs a) throws QgaException {
        String mode = a.mode() == null ? "r" : a.mode();
        log.info("guest-file-open called, filepath: " + a.path() + ", mode: " + mode);
        GuestFile file = openOrCreate(a.path(), mode, FileOpenModes.parse(mode));
        long handle;
        try {
            handle = state.nextHandle();
        } catch (IOException e) {
            closeQuietly(file);
            throw new QgaException("failed to commit persistent state to disk");
        }
        handles.put(handle, new OpenHandle(file));
        log.info("guest-file-open, handle: " + handle);
        return handle;
    }

    /**
     * A creating mode first tries to create the file exclusively: only a file this call created
     * gets mode 0666 (whatever the umask), and is removed again if that fails.
     */
    private GuestFile openOrCreate(String path, String modeText, OpenMode mode) throws QgaException {
        boolean created = mode.create();
        GuestFile file;
        try {
            try {
                file = files.open(path, mode, created);
            } catch (OsException e) {
                if (!created || e.errno() != OsException.EEXIST) {
                    throw e;
                }
                created = false;
                file = files.open(path, mode.withoutCreate(), false);
            }
        } catch (OsException e) {
            throw new QgaException("failed to open file '" + path + "' (mode: '" + modeText + "'): " + e.reason());
        }
        if (created) {
            try {
                file.setNewFileMode();
            } catch (OsException e) {
                closeQuietly(file);
                removeQuietly(path);
                throw new QgaException("failed to set permission 0666 on new file '" + path + "' (mode: '" + modeText
                        + "'): " + e.reason());
            }
        }
        return file;
    }

    /** The handle goes away even when close(2) reports an error: its descriptor is gone either way. */
    Object close(HandleArgs a) throws QgaException {
        log.info("guest-file-close called, handle: " + a.handle());
        OpenHandle h = find(a.handle());
        handles.remove(a.handle());
        try {
            h.file.close();
        } catch (OsException e) {
            throw new QgaException("failed to close handle: " + e.reason());
        }
        return null;
    }

    GuestFileRead read(ReadArgs a) throws QgaException {
        OpenHandle h = find(a.handle());
        long count = a.count() == null ? DEFAULT_READ_COUNT : a.count();
        if (count < 0 || count > MAX_READ_COUNT) {
            throw invalidCount(count);
        }
        h.last = LastOp.NONE; // stdio's flush before a read that follows a write: nothing is buffered
        int size = firstReadBuffer(h.file, (int) count);
        byte[] buf = payload.borrow(size);
        int total = 0;
        boolean eof = false;
        while (total < count) {
            if (total == size) {
                size = (int) Math.min(count, 2L * size);
                buf = payload.grow(buf, total, size);
            }
            int n;
            try {
                n = h.file.read(buf, total, size - total);
            } catch (OsException e) {
                if (total > 0 && e.errno() == OsException.EAGAIN) {
                    break;
                }
                throw new QgaException("failed to read file: " + e.reason());
            }
            if (n == 0) {
                eof = true;
                break;
            }
            total += n;
        }
        h.last = LastOp.READ;
        return new GuestFileRead(total, new QmpJson.Bytes(buf, 0, total), eof);
    }

    /**
     * A regular file says how much it still has: one byte more than that lets the read that
     * meets the end happen without growing the buffer, and a 48 MiB count on a 10-byte file
     * allocates 11 bytes. Pipes and devices cannot tell, nor can /proc and /sys files (size 0):
     * their buffer starts small and grows.
     */
    private static int firstReadBuffer(GuestFile file, int count) {
        long remaining = file.remaining();
        if (remaining <= 0) {
            return Math.min(count, UNSIZED_READ_START);
        }
        return (int) Math.min(count, remaining + 1);
    }

    GuestFileWrite write(WriteArgs a) throws QgaException {
        OpenHandle h = find(a.handle());
        if (h.last == LastOp.READ) {
            try {
                h.file.seek(0, QGASeek.CUR);
            } catch (OsException e) {
                throw new QgaException("failed to seek file: " + e.reason());
            }
            h.last = LastOp.NONE;
        }
        Base64Data data = a.bufB64();
        long available = data.decodedLength();
        long count = a.count() == null ? available : a.count();
        if (count < 0 || count > available) {
            throw invalidCount(count);
        }
        ChunkWriter out = new ChunkWriter(h.file);
        try {
            data.decodeTo(count, new byte[(int) Math.max(1, Math.min(count, WRITE_CHUNK))], out);
        } catch (OsException e) {
            if (out.written == 0 || e.errno() != OsException.EAGAIN) {
                log.info("guest-file-write failed, handle: " + a.handle());
                throw new QgaException("failed to write to file: " + e.reason());
            }
        }
        h.last = LastOp.WRITE;
        return new GuestFileWrite(out.written, false);
    }

    /** Writes each decoded chunk fully, counting what got out. */
    private static final class ChunkWriter implements Base64Data.Sink<OsException> {
        private final GuestFile file;
        long written;

        ChunkWriter(GuestFile file) {
            this.file = file;
        }

        @Override
        public void accept(byte[] b, int off, int len) throws OsException {
            while (len > 0) {
                int n = file.write(b, off, len);
                written += n;
                off += n;
                len -= n;
            }
        }
    }

    GuestFileSeek seek(SeekArgs a) throws QgaException {
        OpenHandle h = find(a.handle());
        QGASeek whence = a.whence().resolve();
        try {
            long position = h.file.seek(a.offset(), whence);
            h.last = LastOp.NONE;
            return new GuestFileSeek(position, false);
        } catch (OsException e) {
            if (e.errno() == OsException.ESPIPE) {
                h.last = LastOp.NONE;
            }
            throw new QgaException("failed to seek file: " + e.reason());
        }
    }

    /** Nothing is buffered in user space, so there is nothing to flush, as qemu-ga's fflush does. */
    Object flush(HandleArgs a) throws QgaException {
        find(a.handle()).last = LastOp.NONE;
        return null;
    }

    private OpenHandle find(long handle) throws QgaException {
        OpenHandle h = handles.get(handle);
        if (h == null) {
            throw new QgaException("handle '" + handle + "' has not been found");
        }
        return h;
    }

    private static QgaException invalidCount(long count) {
        return new QgaException("value '" + count + "' is invalid for argument count");
    }

    private static void closeQuietly(GuestFile file) {
        try {
            file.close();
        } catch (OsException ignored) {
            // the open already failed; its error is the one reported
        }
    }

    private void removeQuietly(String path) {
        try {
            files.remove(path);
        } catch (OsException e) {
            log.warn("cannot remove " + path + ": " + e.reason());
        }
    }
}
