package dev.jqga.tests.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A lean host-side client for measurements: raw {@link SocketChannel}, no JSON parsing on the
 * measured path, replies counted by their newline. Sequential calls for latency, a writer thread
 * plus this thread reading for pipelined throughput.
 */
public final class BenchClient implements AutoCloseable {
    private final SocketChannel socket;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] line = new byte[64 * 1024];
    private int lineLen;

    private BenchClient(SocketChannel socket) {
        this.socket = socket;
        in.flip();
    }

    public static BenchClient connect(Path socket) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(socket));
        return new BenchClient(s);
    }

    /** Connects once the agent listens, or returns null (socket missing or refused). */
    public static BenchClient tryConnect(Path socket) {
        try {
            return connect(socket);
        } catch (IOException notYet) {
            return null;
        }
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public void send(byte[] request) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(request);
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    /** Reads through the next newline; the line (without it) is kept for {@link #lastLine()}. */
    public void readLine() throws IOException {
        lineLen = 0;
        while (true) {
            if (!in.hasRemaining()) {
                fill();
            }
            byte b = in.get();
            if (b == '\n') {
                return;
            }
            if (lineLen < line.length) {
                line[lineLen++] = b;
            }
        }
    }

    public String lastLine() {
        return new String(line, 0, lineLen, StandardCharsets.ISO_8859_1);
    }

    /** One request, one reply, returns the round-trip time in nanoseconds. */
    public long roundTrip(byte[] request) throws IOException {
        long t0 = System.nanoTime();
        send(request);
        readLine();
        return System.nanoTime() - t0;
    }

    /**
     * Writes {@code requests} from another thread while reading {@code replies} reply lines here;
     * returns the nanoseconds from the first byte written to the last reply read.
     */
    public long pipelined(byte[] requests, int replies) throws IOException, InterruptedException {
        AtomicReference<IOException> writeError = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        send(requests);
                    } catch (IOException e) {
                        writeError.set(e);
                    }
                },
                "bench-writer");
        long t0 = System.nanoTime();
        writer.start();
        int seen = 0;
        int lastLineStart = 0;
        lineLen = 0;
        while (seen < replies) {
            if (!in.hasRemaining()) {
                fill();
            }
            while (in.hasRemaining() && seen < replies) {
                byte b = in.get();
                if (b == '\n') {
                    seen++;
                    lastLineStart = lineLen;
                    lineLen = 0;
                } else if (lineLen < line.length) {
                    line[lineLen++] = b;
                }
            }
        }
        long elapsed = System.nanoTime() - t0;
        writer.join();
        if (writeError.get() != null) {
            throw writeError.get();
        }
        lineLen = lastLineStart;
        return elapsed;
    }

    private void fill() throws IOException {
        in.clear();
        int n = socket.read(in);
        in.flip();
        if (n < 0) {
            throw new IOException("agent closed the connection");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
