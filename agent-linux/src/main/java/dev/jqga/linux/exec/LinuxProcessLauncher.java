package dev.jqga.linux.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.jqga.linux.jna.CStrings;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.log.Log;
import dev.jqga.platform.ProcessLauncher;
import dev.jqga.schema.GuestExecCaptureOutputMode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * guest-exec children on Linux, spawned with posix_spawn(3) and reaped with waitpid(2) on their
 * own pid, so that {@code exit(137)} and a SIGKILL stay apart (Java's Process cannot tell them).
 *
 * <p>The child gets: stdin from /dev/null or a pipe the agent feeds with input-data; stdout and
 * stderr to /dev/null or to pipes (merged: both on one pipe); SIGPIPE back to its default action
 * and an empty signal mask (the JVM blocks some signals in its threads); no other descriptor of
 * the agent (closefrom(3) in the child with glibc 2.34+, else an explicit close of every fd the
 * agent has open). A bare program name is searched as GLib does ({@link ExecPathSearch}), trying
 * the next PATH entry on ENOENT/EACCES and running a script without #! through /bin/sh. Failures
 * read as GLib's: {@code Failed to execute child process “<path>” (<strerror>)}.
 */
public final class LinuxProcessLauncher implements ProcessLauncher {
    private static final int CHILD_FD_FLOOR = 3;

    private final Log log;
    private final boolean usePidfd;
    private ChildWatcher watcher;
    private Boolean closefromAvailable;

    public LinuxProcessLauncher(Log log) {
        this(log, true, true);
    }

    /** With the fallbacks of older systems (glibc before 2.34, Linux before 5.3) forced, for tests. */
    LinuxProcessLauncher(Log log, boolean useClosefrom, boolean usePidfd) {
        this.log = log;
        this.usePidfd = usePidfd;
        this.closefromAvailable = useClosefrom ? null : false;
    }

    @Override
    public synchronized ChildProcess spawn(Request r) throws SpawnException {
        LibC c = LibC.INSTANCE;
        GuestExecCaptureOutputMode capture = r.capture();
        int[] in = null;
        int[] out = null;
        int[] err = null;
        Memory actions = new Memory(LibC.POSIX_SPAWN_FILE_ACTIONS_SIZE);
        Memory attr = new Memory(LibC.POSIX_SPAWNATTR_SIZE);
        c.posix_spawn_file_actions_init(actions);
        c.posix_spawnattr_init(attr);
        try {
            ChildWatcher w;
            try {
                w = watcher();
                in = r.input() == null ? null : pipe();
                out = capture.capturesStdout() ? pipe() : null;
                err = capture.capturesStderr() ? pipe() : null;
            } catch (LastErrorException e) {
                throw new SpawnException(
                        "Failed to create pipe for communicating with child process (" + Errno.text(e) + ")");
            }
            stdio(actions, 0, in == null ? -1 : in[0], LibC.O_RDONLY);
            stdio(actions, 1, out == null ? -1 : out[1], LibC.O_WRONLY);
            int stderrFd = capture == GuestExecCaptureOutputMode.MERGED ? out[1] : err == null ? -1 : err[1];
            stdio(actions, 2, stderrFd, LibC.O_WRONLY);
            closeAgentFds(actions);
            signals(attr);
            int pid = spawnSearching(r, actions, attr);
            LinuxChild child = new LinuxChild(
                    pid,
                    pidfd(pid),
                    out == null ? null : new Capture(nonBlocking(out[0]), r.captureLimit()),
                    err == null ? null : new Capture(nonBlocking(err[0]), r.captureLimit()),
                    in == null ? null : new StdinFeed(nonBlocking(in[1]), r.input()));
            in = parentEndsTaken(in, 1);
            out = parentEndsTaken(out, 0);
            err = parentEndsTaken(err, 0);
            w.watch(child);
            return child;
        } finally {
            closePipes(in, out, err);
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
        }
    }

    private static int[] pipe() {
        int[] fds = new int[2];
        LibC.INSTANCE.pipe2(fds, LibC.O_CLOEXEC);
        return fds;
    }

    /** Child fd {@code target} gets {@code pipeEnd}, or /dev/null when there is none. */
    private static void stdio(Memory actions, int target, int pipeEnd, int nullFlags) {
        if (pipeEnd >= 0) {
            LibC.INSTANCE.posix_spawn_file_actions_adddup2(actions, pipeEnd, target);
        } else {
            LibC.INSTANCE.posix_spawn_file_actions_addopen(actions, target, "/dev/null", nullFlags, 0);
        }
    }

    /** Everything from fd 3 up is closed in the child. */
    private void closeAgentFds(Memory actions) {
        if (closefromAvailable == null || closefromAvailable) {
            try {
                LibC.INSTANCE.posix_spawn_file_actions_addclosefrom_np(actions, CHILD_FD_FLOOR);
                closefromAvailable = true;
                return;
            } catch (UnsatisfiedLinkError olderGlibc) {
                closefromAvailable = false;
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int fd = Integer.parseInt(p.getFileName().toString());
                if (fd >= CHILD_FD_FLOOR) {
                    LibC.INSTANCE.posix_spawn_file_actions_addclose(actions, fd);
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("guest-exec: cannot list /proc/self/fd, children may inherit descriptors: " + e);
        }
    }

    /**
     * SIGPIPE to its default action (the agent ignores it), and nothing blocked. glibc's internal
     * signals 32 and 33 (thread cancellation, setxid), which a multithreaded parent has handlers
     * for, would otherwise reach the program as ignored; sigaddset refuses them, so their bits are
     * set directly (sigset_t is an array of longs, bit sig-1).
     */
    private static void signals(Memory attr) {
        LibC c = LibC.INSTANCE;
        Memory set = new Memory(LibC.SIGSET_SIZE);
        c.sigemptyset(set);
        c.sigaddset(set, LibC.SIGPIPE);
        set.setLong(0, set.getLong(0) | 1L << (32 - 1) | 1L << (33 - 1));
        c.posix_spawnattr_setsigdefault(attr, set);
        c.sigemptyset(set);
        c.posix_spawnattr_setsigmask(attr, set);
        c.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK));
    }

    /** Tries each candidate path as GLib's search does; returns the pid. */
    private static int spawnSearching(Request r, Memory actions, Memory attr) throws SpawnException {
        String program = r.argv().get(0);
        List<String> candidates = ExecPathSearch.candidates(program, r.env(), System.getenv("PATH"));
        Pointer argv = CStrings.array(r.argv());
        Pointer envp = r.env() == null ? LibC.environ() : CStrings.array(r.env());
        int error = Errno.ENOENT;
        boolean sawEacces = false;
        boolean searchedAll = true;
        for (String path : candidates) {
            if (candidates.size() > 1 && absent(path)) {
                continue; // what exec would answer with ENOENT/ENOTDIR, without a child for it
            }
            IntByReference pid = new IntByReference();
            error = LibC.INSTANCE.posix_spawn(pid, CStrings.of(path), actions, attr, argv, envp);
            if (error == Errno.ENOEXEC) {
                error = LibC.INSTANCE.posix_spawn(pid, CStrings.of("/bin/sh"), actions, attr, shellArgv(path, r), envp);
            }
            if (error == 0) {
                return pid.getValue();
            }
            if (error == Errno.EACCES) {
                sawEacces = true;
            } else if (error != Errno.ENOENT
                    && error != Errno.ENOTDIR
                    && error != Errno.ESTALE
                    && error != Errno.ENODEV
                    && error != Errno.ETIMEDOUT) {
                searchedAll = false;
                break;
            }
        }
        if (searchedAll && sawEacces) {
            error = Errno.EACCES;
        }
        if (error == Errno.EAGAIN) {
            throw new SpawnException("Failed to fork (" + Errno.text(error) + ")");
        }
        throw new SpawnException(
                "Failed to execute child process \u201C" + program + "\u201D (" + Errno.text(error) + ")");
    }

    private static boolean absent(String path) {
        try {
            return !Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            return false; // let exec judge it
        }
    }

    /** A file without #! runs as {@code /bin/sh path args...}, as execvp and GLib do. */
    private static Pointer shellArgv(String path, Request r) {
        List<String> argv = new ArrayList<>(r.argv().size() + 1);
        argv.add("/bin/sh");
        argv.add(path);
        argv.addAll(r.argv().subList(1, r.argv().size()));
        return CStrings.array(argv);
    }

    /** A pidfd for the child (readable once it exits), or -1 before Linux 5.3 or under a seccomp filter. */
    private int pidfd(int pid) {
        if (!usePidfd) {
            return -1;
        }
        try {
            return LibC.INSTANCE
                    .syscall(new NativeLong(LibC.SYS_PIDFD_OPEN), (long) pid, 0L)
                    .intValue();
        } catch (LastErrorException e) {
            return -1;
        }
    }

    private static int nonBlocking(int fd) {
        LibC c = LibC.INSTANCE;
        c.fcntl(fd, LibC.F_SETFL, c.fcntl(fd, LibC.F_GETFL, 0) | LibC.O_NONBLOCK);
        return fd;
    }

    /** The parent's end now belongs to the child record; only the child's end is left to close. */
    private static int[] parentEndsTaken(int[] pipe, int parentEnd) {
        if (pipe != null) {
            pipe[parentEnd] = -1;
        }
        return pipe;
    }

    private static void closePipes(int[]... pipes) {
        for (int[] p : pipes) {
            if (p != null) {
                for (int fd : p) {
                    if (fd >= 0) {
                        ChildWatcher.closeQuietly(fd);
                    }
                }
            }
        }
    }

    private ChildWatcher watcher() {
        if (watcher == null) {
            watcher = new ChildWatcher(log);
        }
        return watcher;
    }
}
