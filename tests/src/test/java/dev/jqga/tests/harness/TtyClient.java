package dev.jqga.tests.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The host's side of a serial line (a pty end): raw bytes out, reply lines in. */
public final class TtyClient implements AutoCloseable {
    private final FileChannel tty;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();

    private TtyClient(FileChannel tty) {
        this.tty = tty;
    }

    static TtyClient open(Path path) throws IOException {
        return new TtyClient(FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    public void send(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            tty.write(b);
        }
    }

    /** One line, without its '\n'; a '\r' before it stays (to catch output processing). */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!in.hasRemaining()) {
                in.clear();
                int n = tty.read(in);
                in.flip();
                if (n < 0) {
                    throw new IOException("tty closed after " + line);
                }
                continue;
            }
            byte b = in.get();
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        tty.close();
    }
}
