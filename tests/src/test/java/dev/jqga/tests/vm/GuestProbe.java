package dev.jqga.tests.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The second angle on the guest: a shell on its own virtio port (tests/vm/guest/rootfs/etc/qga/
 * probe) that runs one command line at a time and answers with the output and "@@rc=STATUS".
 * It goes around the agent under test, so checks can verify the agent's effects (a file it wrote,
 * its own CPU time) without trusting it.
 */
final class GuestProbe implements AutoCloseable {
    private static final String END = "@@rc=";

    private final LineSocket line;

    private GuestProbe(LineSocket line) {
        this.line = line;
    }

    /** Connects and waits until the probe answers (it polls its port once a second until then). */
    static GuestProbe connect(Path socket, Duration timeout) throws IOException {
        GuestProbe p = new GuestProbe(LineSocket.connect(socket));
        try {
            String hello = p.run("echo probe-ready", timeout);
            if (!hello.equals("probe-ready")) {
                throw new IOException("probe said: " + hello);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Runs one shell command line in the guest as root; its output, or an exception if rc != 0. */
    String run(String command, Duration timeout) throws IOException {
        if (command.contains("\n")) {
            throw new IllegalArgumentException("one line only: " + command);
        }
        line.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder out = new StringBuilder();
        while (true) {
            byte[] l = line.readLine(deadline);
            if (l == null) {
                throw new IOException("probe: no answer within " + timeout.toSeconds() + " s to: " + command);
            }
            String text = new String(l, StandardCharsets.UTF_8);
            if (text.startsWith(END)) {
                if (!text.equals(END + "0")) {
                    throw new IOException("probe: `" + command + "` failed (" + text + "): " + out);
                }
                return out.toString();
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(text);
        }
    }

    String run(String command) throws IOException {
        return run(command, Duration.ofSeconds(30));
    }

    @Override
    public void close() throws IOException {
        line.close();
    }
}
