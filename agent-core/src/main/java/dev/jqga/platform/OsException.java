package dev.jqga.platform;

/**
 * A failed operating-system call: the POSIX errno it stands for (0 when there is none) and the
 * C library's text for it ({@code strerror}), which qemu-ga appends to its messages.
 */
public final class OsException extends Exception {
    public static final int ENOENT = 2;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ESPIPE = 29;

    private final int errno;

    public OsException(int errno, String reason) {
        super(reason, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The strerror text ("No such file or directory"). */
    public String reason() {
        return getMessage();
    }
}
