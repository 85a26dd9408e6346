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
    /** Whether close() removes the directory (only the ones {@link #start} made itself). */
    private boolean ownsDir;

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
        Path dir = newDir(kind);
        Process p = processBuilder(kind, dir, env, extraArgs).start();
        AgentProcess agent = new AgentProcess(kind, dir, dir.resolve("sock"), p);
        agent.ownsDir = true;
        agent.awaitSocket(Duration.ofSeconds(20));
        return agent;
    }

    /** A fresh directory under /tmp for one agent (statedir, cwd, log). */
    public static Path newDir(AgentKind kind) throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "qga-" + kind.name().toLowerCase() + "-");
    }

    /**
     * How an agent is started in {@code dir}: unix-listen on {@code dir/sock}, statedir and
     * working directory {@code dir}, pidfile {@code dir/pid}, output to {@code dir/agent.log},
     * no config file. Shared with the benchmarks, which time the start themselves.
     */
    public static ProcessBuilder processBuilder(
            AgentKind kind, Path dir, Map<String, String> env, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "-m",
                "unix-listen",
                "-p",
                dir.resolve("sock").toString(),
                "-t",
                dir.toString(),
                "-f",
                dir.resolve("pid").toString()));
        args.addAll(List.of(extraArgs));
        return builder(kind, dir, env, args);
    }

    /**
     * Starts the agent in {@code dir} (its cwd; stdout and stderr go to {@code agent.log} there)
     * with exactly {@code args}; the caller waits for whatever shows it is up.
     */
    public static AgentProcess spawn(AgentKind kind, Path dir, Map<String, String> env, List<String> args)
            throws IOException {
        return new AgentProcess(
                kind, dir, dir.resolve("sock"), builder(kind, dir, env, args).start());
    }

    private static ProcessBuilder builder(AgentKind kind, Path dir, Map<String, String> env, List<String> args) {
        kind.requireAvailable();
        List<String> cmd = new ArrayList<>(kind.command());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().putIfAbsent("QGA_CONF", "/nonexistent/qemu-ga.conf");
        pb.environment().putAll(env);
        return pb;
    }

    /** Waits until the agent's log contains {@code text}. */
    public void awaitLog(String text, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (!log().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                keep = true;
                throw new IOException(kind + " never logged '" + text + "'; log:\n" + log());
            }
            sleep(50);
        }
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
            return new String(
                    Files.readAllBytes(dir.resolve("agent.log")), java.nio.charset.StandardCharsets.ISO_8859_1);
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
        sigterm(kind, process.toHandle());
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            keep = true;
            return -1;
        }
        return process.exitValue();
    }

    /**
     * SIGTERM to an agent of {@code kind}. qemu-ga 7.2's SIGTERM handler calls g_main_loop_quit,
     * which takes the main context's lock: a signal that lands while the main thread holds it
     * (still handling a client's hang-up, say) deadlocks the process on that lock (seen in about
     * 1 stop in 60). So the reference is signalled once its main thread is seen blocked in poll
     * twice in a row (at most 2 s).
     */
    public static void sigterm(AgentKind kind, ProcessHandle agent) throws InterruptedException {
        if (kind == AgentKind.QEMU_GA) {
            awaitIdleInPoll(agent.pid());
        }
        agent.destroy();
    }

    private static void awaitIdleInPoll(long pid) throws InterruptedException {
        Path wchan = Path.of("/proc", Long.toString(pid), "wchan");
        int inPoll = 0;
        for (int i = 0; i < 200 && inPoll < 2; i++) {
            String w;
            try {
                w = Files.readString(wchan);
            } catch (IOException e) {
                return; // gone already, or no /proc: nothing to wait for
            }
            inPoll = w.contains("poll") ? inPoll + 1 : 0;
            Thread.sleep(10);
        }
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
        if (!ownsDir) {
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
