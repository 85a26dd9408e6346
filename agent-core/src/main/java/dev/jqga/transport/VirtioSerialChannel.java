package dev.jqga.transport;

import dev.jqga.server.Errors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A virtio-serial port ({@code /dev/virtio-ports/org.qemu.guest_agent.0}), in pure Java: the
 * fallback where the platform offers nothing better (Linux wakes on SIGIO instead). While no
 * host is attached the kernel answers every read with EOF at once and poll() with POLLHUP, so
 * neither can wait for the host: like qemu-ga we sleep between tries (100 ms) and keep the
 * device open. Once the host is there, reads block. NIO, because closing a FileChannel wakes a
 * blocked read.
 */
public final class VirtioSerialChannel implements Channel {
    private final FileChannel device;
    private final Duration hostAbsentPoll;
    private volatile boolean handedOut;

    private VirtioSerialChannel(FileChannel device, Duration hostAbsentPoll) {
        this.device = device;
        this.hostAbsentPoll = hostAbsentPoll;
    }

    /** Opens the port; READ+WRITE without CREATE, so a missing port fails instead of making a file. */
    public static VirtioSerialChannel open(Path path, Duration hostAbsentPoll) throws IOException {
        try {
            return new VirtioSerialChannel(
                    FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE), hostAbsentPoll);
        } catch (IOException e) {
            throw new IOException("error opening channel '" + path + "': " + Errors.text(e), e);
        }
    }

    @Override
    public Connection accept() {
        if (handedOut || !device.isOpen()) {
            return null;
        }
        handedOut = true;
        return new Port();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }

    private final class Port implements Connection {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            while (true) {
                int n = device.read(dst);
                if (n != 0 && n != -1) {
                    return n;
                }
                // No host on the other side: wait, do not spin.
                try {
                    Thread.sleep(hostAbsentPoll.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the host");
                }
            }
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                device.write(src);
            }
        }

        @Override
        public void close() throws IOException {
            device.close();
        }
    }
}
