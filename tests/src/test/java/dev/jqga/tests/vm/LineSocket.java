package dev.jqga.tests.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client on one of QEMU's unix chardev sockets (agent port, probe port, QMP) that reads
 * newline-terminated lines with a deadline. The guest side can stay silent forever (no agent yet,
 * a hung agent), so every read must be able to give up: non-blocking channel plus a selector,
 * because a unix {@link SocketChannel} has no read timeout of its own.
 */
final class LineSocket implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private LineSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        chunk.flip();
    }

    static LineSocket connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new LineSocket(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes all bytes in one go from the caller's view (QEMU reads them as they come). */
    void write(byte[] bytes) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                await(SelectionKey.OP_WRITE, 1000);
            }
        }
    }

    /**
     * The next line without its newline, or null when the deadline passes first. Throws when
     * the other side closed the connection.
     */
    byte[] readLine(long deadlineNanos) throws IOException {
        while (true) {
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                if (b == '\n') {
                    byte[] line = partial.toByteArray();
                    partial.reset();
                    return line;
                }
                partial.write(b);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            chunk.clear();
            int n = channel.read(chunk);
            chunk.flip();
            if (n < 0) {
                throw new IOException("connection closed by QEMU");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, Math.max(1, left / 1_000_000));
            }
        }
    }

    byte[] readLine(Duration timeout) throws IOException {
        return readLine(System.nanoTime() + timeout.toNanos());
    }

    private void await(int op, long millis) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            selector.select(millis);
        } finally {
            key.cancel();
            selector.selectNow(); // really deregister before the next register
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
