package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up as a host sees it: from spawning the agent on a fresh unix socket (arguments as the
 * test harness passes them) to the first guest-sync reply, polling the socket every 0.5 ms.
 * The agent is then stopped with SIGTERM and its directory removed.
 */
public final class FirstReply {
    private static final byte[] SYNC = BenchClient.ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}");

    private FirstReply() {}

    /** Result of one start: time to the reply, and the agent's memory right then. */
    public record Start(double millis, ProcStats stats) {}

    public static Start measure(AgentKind kind, Map<String, String> env) throws IOException, InterruptedException {
        kind.requireAvailable();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "qga-start-");
        Path socket = dir.resolve("sock");
        ProcessBuilder pb = AgentProcess.processBuilder(kind, dir, env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            BenchClient connected;
            while ((connected = BenchClient.tryConnect(socket)) == null) {
                if (!p.isAlive()) {
                    throw new IOException(
                            kind + " exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("agent.log")));
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IOException(kind + " did not listen within 30 s");
                }
                Thread.sleep(0, 500_000);
            }
            try (BenchClient c = connected) {
                c.send(SYNC);
                c.readLine();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (!c.lastLine().equals("{\"return\": 1}")) {
                    throw new IOException(kind + " answered " + c.lastLine());
                }
                return new Start(ms, ProcStats.of(p.pid()));
            }
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            String log = Files.readString(dir.resolve("agent.log"));
            if (!log.isEmpty()) {
                System.err.println(kind + " wrote to stderr/stdout during start-up:\n" + log);
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
