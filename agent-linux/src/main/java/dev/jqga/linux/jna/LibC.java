package dev.jqga.linux.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The one JNA binding to glibc. Every function declared {@code throws LastErrorException} fails
 * with errno in the exception; {@link Errno#text} turns it into strerror's words. Loaded once,
 * lazily, by {@link #INSTANCE}; nothing else in the project calls {@code Native.load("c")}.
 *
 * <p>Add functions here, grouped by man page section, each with what the man page says about
 * its return value.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

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
    int FD_CLOEXEC = 1;

    /** Returns the new fd; -1 and errno on failure. */
    int open(String path, int flags, int mode) throws LastErrorException;

    /** Returns the number of bytes read, 0 at end of file. */
    NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    /** Returns the number of bytes written (may be fewer than asked). */
    NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    /** fds[0] is the read end, fds[1] the write end; flags may be O_CLOEXEC | O_NONBLOCK. */
    int pipe2(int[] fds, int flags) throws LastErrorException;

    int dup2(int oldfd, int newfd) throws LastErrorException;

    // ---- processes (posix_spawn(3), waitpid(2), kill(2), setsid(2), umask(2)) ----

    int WNOHANG = 1;

    /** Returns 0 or an error number (not errno: posix_spawn does not set it). */
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

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

    // ---- foundation: transports and process (poll(2), getsockname(2), fcntl(2) O_ASYNC, chdir(2),
    // unsetenv(3)); used by the vsock/socket-activation/virtio channels and by daemonizing ----

    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;
    int O_ASYNC = 020000;
    int F_SETOWN = 8;
    int SOCK_NONBLOCK = 04000;
    int SO_ACCEPTCONN = 30;

    /** fds is an array of struct pollfd {int fd; short events; short revents;}; returns how many are ready. */
    int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

    int getsockname(int fd, Pointer addr, IntByReference addrlen) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    /** Removes a variable from the C environment (children spawned natively no longer see it). */
    int unsetenv(String name) throws LastErrorException;

    // ---- errors (strerror(3)) ----

    /** The C library's text for an errno value ("No such file or directory"). */
    String strerror(int errnum);
}
