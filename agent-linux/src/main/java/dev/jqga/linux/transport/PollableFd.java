package dev.jqga.linux.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import java.io.IOException;

/**
 * A non-blocking file descriptor that the agent's loop thread waits on with poll(2), next to a
 * wake-up pipe: {@link #close()} from another thread (a signal handler) ends any wait at once.
 * The descriptor itself is closed by whichever side finishes last, so the loop thread never
 * polls or reads a descriptor number that was closed (and perhaps reused) under it.
 */
final class PollableFd implements AutoCloseable {
    /** Returned by {@link #read} and {@link #accept} once the descriptor has been closed. */
    static final int CLOSED = -2;
    /** Returned by {@link #read} when the descriptor had nothing although poll said so (EAGAIN). */
    static final int AGAIN = -1;

    private static final LibC C = LibC.INSTANCE;

    private final int fd;
    private final int[] wake = new int[2];
    private final Memory pollfds = new Memory(16);
    private boolean closed;
    private boolean busy;

    PollableFd(int fd) throws IOException {
        this.fd = fd;
        try {
            C.pipe2(wake, LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        } catch (LastErrorException e) {
            C.close(fd);
            throw new IOException("cannot create a wake-up pipe: " + Errno.text(e));
        }
    }

    int fd() {
        return fd;
    }

    /** Reads up to {@code len} bytes: n &gt; 0, 0 at end of file, {@link #AGAIN} or {@link #CLOSED}. */
    int read(Pointer buf, int len) throws IOException {
        if (!enter()) {
            return CLOSED;
        }
        try {
            while (true) {
                int revents = await(LibC.POLLIN);
                if (revents == CLOSED) {
                    return CLOSED;
                }
                try {
                    return C.read(fd, buf, new NativeLong(len)).intValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.EAGAIN) {
                        return AGAIN;
                    }
                    if (e.getErrorCode() != Errno.EINTR) {
                        throw new IOException(Errno.text(e));
                    }
                }
            }
        } finally {
            exit();
        }
    }

    /** Writes all {@code len} bytes, waiting for room; fails when the peer has hung up. */
    void writeAll(Pointer buf, int len) throws IOException {
        if (!enter()) {
            throw new IOException("channel closed");
        }
        try {
            int done = 0;
            while (done < len) {
                try {
                    done += C.write(fd, buf.share(done), new NativeLong(len - done))
                            .intValue();
                    continue;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.EINTR) {
                        continue;
                    }
                    if (e.getErrorCode() != Errno.EAGAIN) {
                        throw new IOException(Errno.text(e));
                    }
                }
                int revents = await(LibC.POLLOUT);
                if (revents == CLOSED) {
                    throw new IOException("channel closed");
                }
                if ((revents & LibC.POLLOUT) == 0 && (revents & (LibC.POLLHUP | LibC.POLLERR)) != 0) {
                    throw new IOException("the other side has hung up");
                }
            }
        } finally {
            exit();
        }
    }

    /** Accepts one connection (close-on-exec, non-blocking), or {@link #CLOSED}. */
    int accept() throws IOException {
        if (!enter()) {
            return CLOSED;
        }
        try {
            while (true) {
                if (await(LibC.POLLIN) == CLOSED) {
                    return CLOSED;
                }
                try {
                    return C.accept4(fd, null, null, LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK);
                } catch (LastErrorException e) {
                    int err = e.getErrorCode();
                    if (err != Errno.EAGAIN && err != Errno.EINTR && err != ECONNABORTED) {
                        throw new IOException("accept failed: " + Errno.text(e));
                    }
                }
            }
        } finally {
            exit();
        }
    }

    private static final int ECONNABORTED = 103;

    /**
     * O_ASYNC on or off; when on, this process owns the descriptor so the kernel sends it SIGIO
     * when the descriptor becomes readable (or, for a virtio-serial port, the host connects).
     */
    void setAsync(boolean on) throws IOException {
        if (!enter()) {
            return;
        }
        try {
            if (on) {
                C.fcntl(fd, LibC.F_SETOWN, C.getpid());
            }
            int flags = C.fcntl(fd, LibC.F_GETFL, 0);
            C.fcntl(fd, LibC.F_SETFL, on ? flags | LibC.O_ASYNC : flags & ~LibC.O_ASYNC);
        } catch (LastErrorException e) {
            throw new IOException("fcntl: " + Errno.text(e));
        } finally {
            exit();
        }
    }

    /** poll(2) on the descriptor and the wake-up pipe, without a timeout; revents or CLOSED. */
    private int await(short events) throws IOException {
        pollfds.setInt(0, fd);
        pollfds.setShort(4, events);
        pollfds.setShort(6, (short) 0);
        pollfds.setInt(8, wake[0]);
        pollfds.setShort(12, LibC.POLLIN);
        pollfds.setShort(14, (short) 0);
        while (true) {
            try {
                C.poll(pollfds, new NativeLong(2), -1);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                throw new IOException("poll: " + Errno.text(e));
            }
            if (pollfds.getShort(14) != 0 || isClosed()) {
                return CLOSED;
            }
            int revents = pollfds.getShort(6) & 0xFFFF;
            if (revents != 0) {
                return revents;
            }
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private synchronized boolean enter() {
        if (closed) {
            return false;
        }
        busy = true;
        return true;
    }

    private synchronized void exit() {
        busy = false;
        if (closed) {
            release();
        }
    }

    /** Ends any wait now; the descriptor is closed as soon as no call is using it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (busy) {
            try {
                C.write(wake[1], new byte[] {1}, new NativeLong(1));
            } catch (LastErrorException ignored) {
                // the pipe is full: a wake-up is already pending
            }
        } else {
            release();
        }
    }

    private void release() {
        for (int f : new int[] {fd, wake[0], wake[1]}) {
            try {
                C.close(f);
            } catch (LastErrorException ignored) {
                // already closed
            }
        }
    }
}
