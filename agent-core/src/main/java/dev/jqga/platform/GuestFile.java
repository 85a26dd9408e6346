package dev.jqga.platform;

import dev.jqga.schema.QGASeek;

/**
 * One open guest file: thin, unbuffered calls on the OS handle. The stdio rules qemu-ga follows
 * (flush before a read that follows a write, seek before a write that follows a read) are the
 * caller's; they cost nothing here because nothing is buffered.
 */
public interface GuestFile {

    /** One read(2) into {@code b}: the bytes read, 0 at end of file. {@code len} is positive. */
    int read(byte[] b, int off, int len) throws OsException;

    /** One write(2) from {@code b}: the bytes written, at least one. */
    int write(byte[] b, int off, int len) throws OsException;

    /** lseek(2); returns the new position. */
    long seek(long offset, QGASeek whence) throws OsException;

    /**
     * For a regular file, how many bytes are left between the position and the end (0 when the
     * position is past it): a read can size its buffer by it. -1 when the file is not regular or
     * the size cannot be told.
     */
    long remaining();

    /** Sets mode 0666 on the file, whatever the umask (it was just created by this agent). */
    void setNewFileMode() throws OsException;

    void close() throws OsException;
}
