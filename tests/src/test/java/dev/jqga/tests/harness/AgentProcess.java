package dev.jqga.tests.harness;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One agent process on a unix socket in its own temporary directory (also its statedir and
 * working directory), as QEMU's test-qga starts qemu-ga. Stopped with SIGTERM by pid; its
 * stderr goes to {@code agent.log} in that directory, which is kept when a test failed
 * ({@link #keepLogs()}).
 */
public final class AgentProcess implements AutoCloseable {
    private final AgentKind kind;
    private final Path dir;
    private final Path socket;
    private final Process process;
    private boolean keep;

    private AgentProcess(AgentKind kind, Path dir, Path socket, Process process) {
        this.kind = kind;
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    public static AgentProcess start(AgentKind kind, String... extraArgs) throws IOException {
        return start(kind, Map.of(), extraArgs);
    }

    public static AgentProcess start(AgentKind kind, Map<String, String> env, String... extraArgs) throws IOException {
        kind.requireAvailable();
        Path dir =
                Files.createTempDirectory(Path.of("/tmp"), "qga-" + kind.name().toLowerCase() + "-");
        Process p = processBuilder(kind, dir, env, extraArgs).start();
        AgentProcess agent = new AgentProcess(kind, dir, dir.resolve("sock"), p);
        agent.awaitSocket(Duration.ofSeconds(20));
        return agent;
    }

    /**
     * How an agent is started in {@code dir}: unix-listen on {@code dir/sock}, statedir and
     * working directory {@code dir}, pidfile {@code dir/pid}, output to {@code dir/agent.log},
     * no config file. Shared with the benchmarks, which time the start themselves.
     */
    public static ProcessBuilder processBuilder(
            AgentKind kind, Path dir, Map<String, String> env, String... extraArgs) {
        List<String> cmd = new ArrayList<>(kind.command());
        cmd.addAll(List.of(
                "-m",
                "unix-listen",
                "-p",
                dir.resolve("sock").toString(),
                "-t",
                dir.toString(),
                "-f",
                dir.resolve("pid").toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("QGA_CONF", "/nonexistent/qemu-ga.conf");
        return pb;
    }

    private void awaitSocket(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                keep = true;
                throw new IOException(kind + " exited with " + process.exitValue() + " before listening; log: "
                        + dir.resolve("agent.log") + "\n" + log());
            }
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(UnixDomainSocketAddress.of(socket));
                    return; // a connect that is never served is harmless: it just closes
                } catch (IOException notYet) {
                    // bound but not listening yet
                }
            }
            sleep(20);
        }
        keep = true;
        throw new IOException(kind + " did not listen on " + socket + " within " + timeout);
    }

    public QgaClient connect() throws IOException {
        return QgaClient.connect(socket);
    }

    public Path dir() {
        return dir;
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public AgentKind kind() {
        return kind;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Keep the directory and its agent.log after close (call it when a test failed). */
    public void keepLogs() {
        keep = true;
    }

    /** SIGTERM, then the exit status (qemu-ga exits 0 after SIGTERM). */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            keep = true;
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            stop();
        }
        if (keep) {
            System.err.println("agent logs kept in " + dir);
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
