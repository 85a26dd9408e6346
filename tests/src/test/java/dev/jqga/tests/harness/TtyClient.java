package dev.jqga.tests.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The host's side of a serial line (a pty end): raw bytes out, reply lines in. A thread reads
 * lines as they come, so a test can wait for one with a time limit (an agent that has not opened
 * its port yet, or that flushed the input when it did, never answers).
 */
public final class TtyClient implements AutoCloseable {
    private final FileChannel tty;
    private final FileChannel out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    /** Two channels: a FileChannel holds one lock across read and write, so a blocked read would stall writes. */
    private TtyClient(FileChannel tty, FileChannel out) {
        this.tty = tty;
        this.out = out;
        this.reader = new Thread(this::readLines, "tty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static TtyClient open(Path path) throws IOException {
        return new TtyClient(
                FileChannel.open(path, StandardOpenOption.READ), FileChannel.open(path, StandardOpenOption.WRITE));
    }

    private void readLines() {
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (tty.read(in.clear()) >= 0) {
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.ISO_8859_1));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException closed) {
            // the test closed the tty, or the pty went away
        }
    }

    public void send(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** The next line without its '\n' (a '\r' before it stays, to catch output processing), or null after {@code millis}. */
    public String readLine(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next line, waiting up to 20 s. */
    public String readLine() throws IOException, InterruptedException {
        String l = readLine(20_000);
        if (l == null) {
            throw new IOException("no line from the agent within 20 s");
        }
        return l;
    }

    /** Until the agent answers: 0xFF + guest-sync-delimited, once a second; then nothing else is pending. */
    public void sync() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            long id = 1000 + attempt;
            send("\u00FF{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}");
            long deadline = System.nanoTime() + 1_000_000_000L;
            String l;
            while ((l = readLine(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) != null) {
                if (l.endsWith("{\"return\": " + id + "}")) {
                    return;
                }
            }
        }
        throw new IOException("the agent never answered on the serial line");
    }

    @Override
    public void close() throws IOException {
        out.close();
        tty.close();
    }
}
