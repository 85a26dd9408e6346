package dev.jqga.server;

import dev.jqga.config.ConfigException;
import dev.jqga.config.KeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code <statedir>/qga.state}: the guest-file handle counter, {@code [global] fd_counter=N},
 * starting at 1000 and rewritten atomically before each handle is handed out, so handles stay
 * unique across agent restarts.
 */
public final class PersistentState {
    public static final long FIRST_HANDLE = 1000;

    private final Path file;
    private long counter;

    private PersistentState(Path file, long counter) {
        this.file = file;
        this.counter = counter;
    }

    /**
     * Loads the file, creating it when absent (not while frozen: nothing may be written then); a
     * missing statedir is an error, as with qemu-ga.
     */
    public static PersistentState load(Path statedir, boolean frozen) throws ConfigException {
        Path file = statedir.resolve("qga.state");
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String v;
            try {
                v = KeyFile.parse(text).get("global", "fd_counter");
            } catch (ConfigException e) {
                throw new ConfigException("error loading persistent state from path: " + file + ", " + e.getMessage());
            }
            long counter = FIRST_HANDLE;
            if (v != null) {
                try {
                    counter = Long.parseLong(v.strip());
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            "error loading persistent state from path: " + file
                                    + ", Key file contains key \u201Cfd_counter\u201D in group \u201Cglobal\u201D which has a value that cannot be interpreted.");
                }
            }
            return new PersistentState(file, counter);
        } catch (NoSuchFileException absent) {
            PersistentState s = new PersistentState(file, FIRST_HANDLE);
            if (frozen) {
                return s;
            }
            try {
                s.write(FIRST_HANDLE);
            } catch (IOException e) {
                throw new ConfigException("unable to create state file at path " + file + ": " + Errors.text(e));
            }
            return s;
        } catch (IOException e) {
            throw new ConfigException("failed to load persistent state from " + file + ": " + Errors.text(e));
        }
    }

    /**
     * Takes the next handle and commits the counter to disk first. If the write fails the handle
     * is not handed out (the counter in memory has moved on anyway, as in qemu-ga).
     */
    public synchronized long nextHandle() throws IOException {
        long handle = counter++;
        write(counter);
        return handle;
    }

    private void write(long value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "[global]\nfd_counter=" + value + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
