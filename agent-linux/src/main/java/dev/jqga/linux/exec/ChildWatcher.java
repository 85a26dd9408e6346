package dev.jqga.linux.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one thread that looks after every guest-exec child: a poll(2) loop over each child's pidfd
 * (readable when it exits: it is reaped at once, so no child stays a zombie whether or not its
 * status is ever asked), the agent's ends of its pipes (stdin fed from input-data, stdout/stderr
 * captured), and a wake-up pipe through which new children arrive.
 *
 * <p>Why one thread and poll: a thousand short commands must not leave a thousand threads, and
 * idle costs nothing (poll sleeps with no timeout). The thread starts with the first child. On
 * kernels without pidfd_open (before 5.3) children are reaped by a waitpid(pid, WNOHANG) sweep
 * every {@value #REAP_TICK_MS} ms while any of them runs. Never waitpid(-1): the JDK reaps its
 * own children by pid, and so does this.
 */
final class ChildWatcher implements Runnable {
    static final int REAP_TICK_MS = 100;
    /** Bytes moved per read(2)/write(2) on a child's pipe. */
    private static final int IO_CHUNK = 64 * 1024;
    /** Bytes taken from one stream per turn, so one chatty child cannot starve the others. */
    private static final int TURN = 1 << 20;

    private static final int PIDFD = 0;
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int STDIN = 3;

    private final Log log;
    private final ConcurrentLinkedQueue<LinuxChild> arriving = new ConcurrentLinkedQueue<>();
    private final List<LinuxChild> children = new ArrayList<>();
    /** This round's poll entries: whose, what kind, which fd (entry 0 is the wake-up pipe). */
    private final List<LinuxChild> owners = new ArrayList<>();

    private final List<Integer> kinds = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private final Memory io = new Memory(IO_CHUNK);
    private final int wakeRead;
    private final int wakeWrite;
    private Memory pollfds = new Memory(64L * LibC.POLLFD_SIZE);
    private Thread thread;

    ChildWatcher(Log log) {
        this.log = log;
        int[] wake = new int[2];
        LibC.INSTANCE.pipe2(wake, LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        wakeRead = wake[0];
        wakeWrite = wake[1];
    }

    /** Hands a freshly spawned child over; starts the thread with the first one. */
    synchronized void watch(LinuxChild child) {
        arriving.add(child);
        if (thread == null) {
            thread = new Thread(this, "jqga-exec-watcher");
            thread.setDaemon(true);
            thread.start();
        } else {
            wake();
        }
    }

    private void wake() {
        try {
            LibC.INSTANCE.write(wakeWrite, new byte[1], new NativeLong(1));
        } catch (LastErrorException full) {
            // EAGAIN: a wake-up is already pending
        }
    }

    /** Never ends: a surprise is logged and the loop goes on, or children would stay zombies. */
    @Override
    public void run() {
        while (true) {
            try {
                watchOnce();
            } catch (RuntimeException e) {
                log.error("guest-exec watcher: " + e);
                sleepQuietly();
            }
        }
    }

    /** One poll(2) round over every child's pidfd and pipes. */
    private void watchOnce() {
        for (LinuxChild c; (c = arriving.poll()) != null; ) {
            children.add(c);
        }
        owners.clear();
        kinds.clear();
        fds.clear();
        owners.add(null);
        kinds.add(-1);
        fds.add(wakeRead);
        boolean tick = false;
        for (LinuxChild c : children) {
            synchronized (c) {
                if (c.reaped() && c.pidfd >= 0) {
                    closeQuietly(c.pidfd);
                    c.pidfd = -1;
                }
                if (c.pidfd >= 0) {
                    add(c, PIDFD, c.pidfd);
                } else if (!c.reaped()) {
                    tick = true;
                }
                if (c.out != null && !c.out.closed()) {
                    add(c, STDOUT, c.out.fd);
                }
                if (c.err != null && !c.err.closed()) {
                    add(c, STDERR, c.err.fd);
                }
                if (c.in != null) {
                    add(c, STDIN, c.in.fd);
                }
            }
        }
        children.removeIf(LinuxChild::done);
        int n = fds.size();
        if (pollfds.size() < (long) n * LibC.POLLFD_SIZE) {
            pollfds = new Memory((long) n * 2 * LibC.POLLFD_SIZE);
        }
        for (int i = 0; i < n; i++) {
            setPollfd(i, fds.get(i), kinds.get(i) == STDIN ? LibC.POLLOUT : LibC.POLLIN);
        }
        try {
            LibC.INSTANCE.poll(pollfds, new NativeLong(n), tick ? REAP_TICK_MS : -1);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINTR) {
                log.error("guest-exec watcher: poll failed: " + Errno.text(e));
                sleepQuietly();
            }
            return;
        }
        if (revents(0) != 0) {
            drainWakeups();
        }
        for (int i = 1; i < n; i++) {
            if (revents(i) != 0) {
                serve(owners.get(i), kinds.get(i));
            }
        }
        if (tick) {
            for (LinuxChild c : children) {
                c.reap();
            }
        }
    }

    private void add(LinuxChild c, int kind, int fd) {
        owners.add(c);
        kinds.add(kind);
        fds.add(fd);
    }

    private void serve(LinuxChild c, int kind) {
        synchronized (c) {
            switch (kind) {
                case PIDFD -> c.reap();
                case STDOUT -> drain(c.out);
                case STDERR -> drain(c.err);
                default -> feed(c);
            }
        }
    }

    /** Reads what the pipe has (up to one turn); end of file or an error closes it. */
    private void drain(Capture capture) {
        for (int taken = 0; taken < TURN; ) {
            int n;
            try {
                n = LibC.INSTANCE.read(capture.fd, io, new NativeLong(IO_CHUNK)).intValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
                    return;
                }
                n = 0;
            }
            if (n == 0) {
                closeQuietly(capture.fd);
                capture.markClosed();
                return;
            }
            capture.append(io, n);
            taken += n;
        }
    }

    /** Writes the next part of input-data; when all is written, or the child stopped reading, closes stdin. */
    private void feed(LinuxChild c) {
        StdinFeed in = c.in;
        while (in.remaining() > 0) {
            int len = Math.min(in.remaining(), IO_CHUNK);
            io.write(0, in.data, in.written, len);
            try {
                in.written +=
                        LibC.INSTANCE.write(in.fd, io, new NativeLong(len)).intValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
                    return;
                }
                break; // EPIPE: the child closed its stdin; the rest is dropped, as by qemu-ga
            }
        }
        closeQuietly(in.fd);
        c.in = null;
    }

    private void setPollfd(int i, int fd, short events) {
        long at = (long) i * LibC.POLLFD_SIZE;
        pollfds.setInt(at, fd);
        pollfds.setShort(at + 4, events);
        pollfds.setShort(at + 6, (short) 0);
    }

    private int revents(int i) {
        return pollfds.getShort((long) i * LibC.POLLFD_SIZE + 6);
    }

    private void drainWakeups() {
        try {
            while (LibC.INSTANCE.read(wakeRead, io, new NativeLong(IO_CHUNK)).intValue() > 0) {
                // keep reading until EAGAIN
            }
        } catch (LastErrorException empty) {
            // EAGAIN: drained
        }
    }

    static void closeQuietly(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do about a failed close of a pipe
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(REAP_TICK_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
