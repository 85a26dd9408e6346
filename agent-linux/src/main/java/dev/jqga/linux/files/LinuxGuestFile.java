package dev.jqga.linux.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.jqga.linux.jna.LibC;
import dev.jqga.platform.GuestFile;
import dev.jqga.platform.OsException;
import dev.jqga.schema.QGASeek;

/** One file descriptor opened by {@link LinuxGuestFiles}; unbuffered. */
final class LinuxGuestFile implements GuestFile {
    private final int fd;
    private final LinuxGuestFiles owner;

    LinuxGuestFile(int fd, LinuxGuestFiles owner) {
        this.fd = fd;
        this.owner = owner;
    }

    @Override
    public int read(byte[] b, int off, int len) throws OsException {
        Memory m = owner.transferBuffer();
        try {
            int n = LibC.INSTANCE
                    .read(fd, m, new NativeLong(Math.min(len, LinuxGuestFiles.TRANSFER)))
                    .intValue();
            m.read(0, b, off, n);
            return n;
        } catch (LastErrorException e) {
            throw LinuxGuestFiles.os(e);
        }
    }

    @Override
    public int write(byte[] b, int off, int len) throws OsException {
        Memory m = owner.transferBuffer();
        int n = Math.min(len, LinuxGuestFiles.TRANSFER);
        m.write(0, b, off, n);
        try {
            return LibC.INSTANCE.write(fd, m, new NativeLong(n)).intValue();
        } catch (LastErrorException e) {
            throw LinuxGuestFiles.os(e);
        }
    }

    @Override
    public long seek(long offset, QGASeek whence) throws OsException {
        int w = switch (whence) {
            case SET -> LibC.SEEK_SET;
            case CUR -> LibC.SEEK_CUR;
            case END -> LibC.SEEK_END;
        };
        try {
            return LibC.INSTANCE.lseek64(fd, offset, w);
        } catch (LastErrorException e) {
            throw LinuxGuestFiles.os(e);
        }
    }

    @Override
    public long remaining() {
        Memory stx = owner.transferBuffer();
        try {
            LibC.INSTANCE.statx(fd, "", LibC.AT_EMPTY_PATH, LibC.STATX_TYPE | LibC.STATX_SIZE, stx);
            if ((stx.getShort(LibC.STATX_MODE_OFFSET) & LibC.S_IFMT) != LibC.S_IFREG) {
                return -1;
            }
            long size = stx.getLong(LibC.STATX_SIZE_OFFSET);
            return Math.max(0, size - LibC.INSTANCE.lseek64(fd, 0, LibC.SEEK_CUR));
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return -1;
        }
    }

    @Override
    public void setNewFileMode() throws OsException {
        try {
            LibC.INSTANCE.fchmod(fd, 0666);
        } catch (LastErrorException e) {
            throw LinuxGuestFiles.os(e);
        }
    }

    @Override
    public void close() throws OsException {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            throw LinuxGuestFiles.os(e);
        }
    }
}
