package dev.jqga.linux.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.jqga.linux.jna.CStrings;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.platform.GuestFile;
import dev.jqga.platform.GuestFiles;
import dev.jqga.platform.OpenMode;
import dev.jqga.platform.OsException;

/**
 * Guest files as qemu-ga opens them on Linux: open(2) with O_NOCTTY | O_NONBLOCK | O_CLOEXEC
 * (a FIFO without a writer does not hang the agent, a tty does not become its terminal, a
 * guest-exec child does not inherit the file), creation with mode 0 and an explicit fchmod.
 *
 * <p>Data moves through one native buffer shared by all files: guest-file commands run on the
 * request thread only, and JNA would otherwise copy a whole Java array at each call.
 */
public final class LinuxGuestFiles implements GuestFiles {
    /** Bytes moved per read(2)/write(2). */
    static final int TRANSFER = 1 << 20;

    private Memory transfer;

    @Override
    public GuestFile open(String path, OpenMode mode, boolean exclusive) throws OsException {
        int flags = mode.read() && mode.write() ? LibC.O_RDWR : mode.write() ? LibC.O_WRONLY : LibC.O_RDONLY;
        if (mode.create()) {
            flags |= LibC.O_CREAT | (exclusive ? LibC.O_EXCL : 0);
        }
        if (mode.truncate()) {
            flags |= LibC.O_TRUNC;
        }
        if (mode.append()) {
            flags |= LibC.O_APPEND;
        }
        flags |= LibC.O_NOCTTY | LibC.O_NONBLOCK | LibC.O_CLOEXEC;
        try {
            return new LinuxGuestFile(LibC.INSTANCE.open(CStrings.of(path), flags, 0), this);
        } catch (LastErrorException e) {
            throw os(e);
        }
    }

    @Override
    public void remove(String path) throws OsException {
        try {
            LibC.INSTANCE.unlink(CStrings.of(path));
        } catch (LastErrorException e) {
            throw os(e);
        }
    }

    /** The shared transfer buffer, allocated at the first read or write. */
    Memory transferBuffer() {
        if (transfer == null) {
            transfer = new Memory(TRANSFER);
        }
        return transfer;
    }

    static OsException os(LastErrorException e) {
        return new OsException(e.getErrorCode(), Errno.text(e));
    }
}
