package dev.jqga.linux.jna;

import com.sun.jna.LastErrorException;

/** errno values the agent reacts to, and their strerror text. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;
    public static final int ESTALE = 116;

    private Errno() {}

    /** strerror(errno) as qemu-ga appends it to its messages. */
    public static String text(int errno) {
        return LibC.INSTANCE.strerror(errno);
    }

    public static String text(LastErrorException e) {
        return text(e.getErrorCode());
    }
}
