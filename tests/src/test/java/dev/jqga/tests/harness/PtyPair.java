package dev.jqga.tests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by socat, both ends raw without echo, reachable through two
 * symlinks: the agent opens {@link #guest()} (as its serial or virtio port), the test plays the
 * host on {@link #host()}. Killing socat (by pid) closes the pty master, which the agent sees as
 * a host that went away.
 */
public final class PtyPair implements AutoCloseable {
    private final Process socat;
    private final Path guest;
    private final Path host;

    private PtyPair(Process socat, Path guest, Path host) {
        this.socat = socat;
        this.guest = guest;
        this.host = host;
    }

    public static PtyPair start(Path guest, Path host) throws IOException {
        Process p = new ProcessBuilder(
                        "socat", "-d", "-d", "pty,raw,echo=0,link=" + guest, "pty,raw,echo=0,link=" + host)
                .redirectErrorStream(true)
                .redirectOutput(
                        guest.resolveSibling(guest.getFileName() + ".socat.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!(Files.exists(guest) && Files.exists(host))) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                p.destroyForcibly();
                throw new IOException("socat did not create " + guest + " and " + host);
            }
            AgentProcess.sleep(20);
        }
        return new PtyPair(p, guest, host);
    }

    public Path guest() {
        return guest;
    }

    public Path host() {
        return host;
    }

    /** Opens the host end for reading and writing (a plain file stream on the tty). */
    public TtyClient openHost() throws IOException {
        return TtyClient.open(host);
    }

    @Override
    public void close() throws InterruptedException {
        if (socat.isAlive()) {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        }
    }
}
