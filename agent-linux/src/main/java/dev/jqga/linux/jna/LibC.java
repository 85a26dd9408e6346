package dev.jqga.linux.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The one JNA binding to glibc. Every function declared {@code throws LastErrorException} fails
 * with errno in the exception; {@link Errno#text} turns it into strerror's words. Loaded once,
 * lazily, by {@link #INSTANCE}; nothing else in the project loads the C library.
 *
 * <p>Add functions here, grouped by man page section, each with what the man page says about
 * its return value.
 */
public interface LibC extends Library {
    /**
     * Loaded by its soname ({@code libc.so.6}), which dlopen finds directly; the short name "c"
     * maps to {@code libc.so}, which only exists where the C development files are installed.
     */
    LibC INSTANCE = Native.load(com.sun.jna.Platform.C_LIBRARY_NAME, LibC.class);

    // ---- file descriptors (open(2), read(2), write(2), close(2), fcntl(2), pipe(2)) ----

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOCTTY = 0400;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;
    int O_NONBLOCK = 04000;
    int O_DIRECTORY = 0200000;
    int O_CLOEXEC = 02000000;

    int F_GETFD = 1;
    int F_SETFD = 2;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int F_DUPFD_CLOEXEC = 1030;
    int FD_CLOEXEC = 1;

    /** Returns the new fd; -1 and errno on failure. */
    int open(String path, int flags, int mode) throws LastErrorException;

    /** As above with the path as NUL-terminated bytes ({@link CStrings#of}), as a host sent it. */
    int open(byte[] path, int flags, int mode) throws LastErrorException;

    /** Returns the number of bytes read, 0 at end of file. */
    NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    /** Returns the number of bytes written (may be fewer than asked). */
    NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int SEEK_SET = 0;
    int SEEK_CUR = 1;
    int SEEK_END = 2;

    /** lseek(2) with a 64-bit offset on every ABI: returns the new offset (ESPIPE on a pipe). */
    long lseek64(int fd, long offset, int whence) throws LastErrorException;

    /** fchmod(2): the mode is set as given, the umask plays no part. */
    int fchmod(int fd, int mode) throws LastErrorException;

    /** unlink(2), path as NUL-terminated bytes. */
    int unlink(byte[] path) throws LastErrorException;

    // statx(2) (Linux 4.11, glibc 2.28): struct statx has the same layout on every architecture.
    int AT_EMPTY_PATH = 0x1000;
    int STATX_TYPE = 0x1;
    int STATX_SIZE = 0x200;
    int STATX_BUFFER_SIZE = 256;
    int STATX_MODE_OFFSET = 0x1C;
    int STATX_SIZE_OFFSET = 0x28;
    int S_IFMT = 0170000;
    int S_IFREG = 0100000;

    /** With AT_EMPTY_PATH and path "" it describes {@code dirfd} itself. Returns 0. */
    int statx(int dirfd, String path, int flags, int mask, Pointer statxbuf) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    /** fds[0] is the read end, fds[1] the write end; flags may be O_CLOEXEC | O_NONBLOCK. */
    int pipe2(int[] fds, int flags) throws LastErrorException;

    int dup2(int oldfd, int newfd) throws LastErrorException;

    // ---- poll(2) ----

    /** struct pollfd is {int fd; short events; short revents;}: 8 bytes. */
    int POLLFD_SIZE = 8;

    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;

    /**
     * Returns how many entries have events, 0 on timeout; timeout -1 waits for ever. nfds is an
     * nfds_t (unsigned long).
     */
    int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

    // ---- processes (posix_spawn(3), waitpid(2), kill(2), setsid(2), umask(2), pidfd_open(2)) ----

    int WNOHANG = 1;

    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Generous sizes for the opaque glibc types (80, 336 and 128 bytes on x86-64). */
    int POSIX_SPAWN_FILE_ACTIONS_SIZE = 256;

    int POSIX_SPAWNATTR_SIZE = 1024;
    int SIGSET_SIZE = 256;
    int SIGPIPE = 13;

    /** Returns 0 or an error number (not errno: posix_spawn does not set it). */
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

    /**
     * As above with the path as NUL-terminated bytes and argv/envp as NULL-terminated {@code
     * char*} arrays ({@link CStrings#array}); glibc reports an exec failure of the child as the
     * return value (ENOENT, EACCES, ENOEXEC...).
     */
    int posix_spawn(IntByReference pid, byte[] path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    /** glibc 2.34+: closes every fd from {@code lowfd} up in the child. Absent before (UnsatisfiedLinkError). */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowfd);

    /** As posix_spawn, searching PATH (of the caller's environment) when path has no slash. */
    int posix_spawnp(IntByReference pid, String file, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);

    int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int oflag, int mode);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigaddset(Pointer set, int signum);

    /** Returns the pid reaped, 0 with WNOHANG when none has changed state. */
    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    int getpid();

    /** pidfd_open(2) (Linux 5.3) through syscall(2): a pidfd polls readable once the child exits. */
    long SYS_PIDFD_OPEN = 434;

    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    /** The C library's current {@code environ}, to hand a child the agent's own environment. */
    static Pointer environ() {
        return NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME)
                .getGlobalVariableAddress("environ")
                .getPointer(0);
    }

    int setsid() throws LastErrorException;

    int umask(int mask);

    // ---- sockets (socket(2), bind(2), listen(2), accept4(2), getsockopt(2), shutdown(2)) ----

    int AF_UNIX = 1;
    int AF_VSOCK = 40;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 02000000;
    int SOL_SOCKET = 1;
    int SO_TYPE = 3;
    int SO_DOMAIN = 39;
    int SHUT_RDWR = 2;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer addr, IntByReference addrlen, int flags) throws LastErrorException;

    int getsockopt(int fd, int level, int optname, IntByReference optval, IntByReference optlen)
            throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    // ---- transports and process (getsockname(2), fcntl(2) O_ASYNC, chdir(2), unsetenv(3)); used by
    // the vsock/socket-activation/virtio channels and by daemonizing ----

    int O_ASYNC = 020000;
    int F_SETOWN = 8;
    int SOCK_NONBLOCK = 04000;
    int SO_ACCEPTCONN = 30;

    int getsockname(int fd, Pointer addr, IntByReference addrlen) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    /** Removes a variable from the C environment (children spawned natively no longer see it). */
    int unsetenv(String name) throws LastErrorException;

    // ---- errors (strerror(3)) ----

    /** The C library's text for an errno value ("No such file or directory"). */
    String strerror(int errnum);
}
