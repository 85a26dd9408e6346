package dev.jqga.linux.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.transport.Channel;
import dev.jqga.transport.Connection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;

/**
 * A virtio-serial port that costs nothing while no host is connected. The kernel answers reads
 * with EOF and poll() with POLLHUP at once while the host side is closed, so qemu-ga polls every
 * 100 ms. Here the port is armed with O_ASYNC while the host is away: the kernel sends SIGIO
 * when the host connects (and when data arrives), which wakes the reader at once; between
 * signals the reader retries blindly with a back-off from 100 ms to 5 s, in case a signal is
 * ever lost. While the host is connected, reads block in poll(2) and the port is not armed. A
 * device that refuses O_ASYNC (a hung-up tty) is polled every 100 ms, as qemu-ga does.
 */
public final class VirtioPortChannel implements Channel {
    static final long FIRST_RETRY_MS = 100;
    static final long MAX_RETRY_MS = 5000;

    private final PollableFd port;
    private volatile boolean sigio;
    private volatile boolean handedOut;
    /** How often the reader woke up to look for a host (signals and blind retries); for measurement. */
    volatile long hostChecks;

    VirtioPortChannel(PollableFd port, boolean sigio) {
        this.port = port;
        this.sigio = sigio;
    }

    /** Opens the port read/write, non-blocking, close-on-exec, as qemu-ga does. */
    public static VirtioPortChannel open(String path) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
        } catch (LastErrorException e) {
            throw new IOException("error opening channel '" + path + "': " + Errno.text(e));
        }
        return new VirtioPortChannel(new PollableFd(fd), AsyncIoSignal.install());
    }

    @Override
    public Connection accept() {
        if (handedOut || port.isClosed()) {
            return null;
        }
        handedOut = true;
        return new Port();
    }

    @Override
    public void close() {
        port.close();
        AsyncIoSignal.poke(); // a reader waiting for the host wakes and sees the port closed
    }

    private final class Port implements Connection {
        private final Memory buf = new Memory(64 * 1024);
        private Memory out = new Memory(4096);
        private boolean armed;
        private long retryMs = FIRST_RETRY_MS;

        @Override
        public int read(ByteBuffer dst) throws IOException {
            while (true) {
                long seen = AsyncIoSignal.generation();
                int n = port.read(buf, (int) Math.min(dst.remaining(), buf.size()));
                if (n > 0) {
                    hostPresent();
                    Buffers.copy(buf, n, dst);
                    return n;
                }
                if (n == PollableFd.CLOSED) {
                    return -1;
                }
                // EOF or nothing: no host on the other side.
                if (sigio && !armed) {
                    try {
                        arm(true);
                        continue; // the host may have come between the read and arming
                    } catch (IOException e) {
                        sigio = false; // a device without async I/O: poll every 100 ms as qemu-ga
                    }
                }
                waitForHost(seen);
            }
        }

        private void waitForHost(long seen) throws IOException {
            hostChecks++;
            try {
                AsyncIoSignal.awaitAfter(seen, sigio ? retryMs : FIRST_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the host");
            }
            retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        }

        private void hostPresent() throws IOException {
            retryMs = FIRST_RETRY_MS;
            if (armed) {
                arm(false);
            }
        }

        private void arm(boolean on) throws IOException {
            port.setAsync(on);
            armed = on;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            out = Buffers.writeAll(port, src, out);
        }

        @Override
        public void close() {
            VirtioPortChannel.this.close();
        }
    }
}
