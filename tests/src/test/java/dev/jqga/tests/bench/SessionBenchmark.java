package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end session benchmark, jqga beside qemu-ga on this machine over unix sockets, agents
 * started as the test harness starts them: pipelined guest-sync throughput, sequential guest-ping
 * round trip, start-to-first-reply (with and without jqga's class-data archive), resident memory
 * after start and after load, idle CPU and wake-ups with no client and with a silent client, and
 * thread counts. Runs are interleaved between the agents so that machine noise hits both alike.
 *
 * <p>Run it with {@code mvn -B -ntp -q package -DskipTests -Pbench} (see tests/bench.md); settings
 * are {@code name=value} arguments ({@code -Dbench.args="requests=1000 idleSeconds=5"}): requests,
 * pings, rounds, startRuns, idleSeconds, out (a file the table is appended to), verbose.
 */
public final class SessionBenchmark {
    private static final String JQGA = "jqga";
    private static final String QEMU_GA = "qemu-ga";

    private final int requests = BenchEnvironment.setting("requests", 100_000);
    private final int pings = BenchEnvironment.setting("pings", 10_000);
    private final int rounds = BenchEnvironment.setting("rounds", 3);
    private final int startRuns = BenchEnvironment.setting("startRuns", 20);
    private final int idleSeconds = BenchEnvironment.setting("idleSeconds", 30);
    private final ResultTable table = new ResultTable("Session benchmark", JQGA, QEMU_GA);

    public static void main(String[] args) throws Exception {
        BenchEnvironment.configure(args);
        SessionBenchmark b = new SessionBenchmark();
        System.out.println("SessionBenchmark: " + BenchEnvironment.describe());
        b.startUp();
        b.session();
        b.table.put("load when done", JQGA, BenchEnvironment.load());
        String out = BenchEnvironment.text("out", "");
        b.table.print(System.out, out.isEmpty() ? null : Path.of(out));
    }

    private static String column(AgentKind kind) {
        return kind == AgentKind.JQGA ? JQGA : QEMU_GA;
    }

    /** Spawn to first guest-sync reply, the three variants interleaved run by run. */
    private void startUp() throws IOException, InterruptedException {
        if (startRuns == 0) {
            return;
        }
        Samples qga = new Samples();
        Samples cds = new Samples();
        Samples noCds = new Samples();
        Samples rss = new Samples();
        Samples qgaRss = new Samples();
        for (int i = 0; i < startRuns; i++) {
            FirstReply.Start q = FirstReply.measure(AgentKind.QEMU_GA, Map.of());
            qga.add(q.millis());
            qgaRss.add(q.stats().rssMiB());
            FirstReply.Start j = FirstReply.measure(AgentKind.JQGA, Map.of());
            cds.add(j.millis());
            rss.add(j.stats().rssMiB());
            noCds.add(FirstReply.measure(AgentKind.JQGA, Map.of("JQGA_CDS", "off"))
                    .millis());
        }
        String runs = " ms, median (min..max) of " + startRuns;
        table.put("start-to-first-reply" + runs, JQGA, cds.spread("%.1f"));
        table.put("start-to-first-reply" + runs, QEMU_GA, qga.spread("%.1f"));
        table.put("start-to-first-reply, no AppCDS" + runs, JQGA, noCds.spread("%.1f"));
        table.put("RSS at first reply MiB, median", JQGA, String.format("%.1f", rss.median()));
        table.put("RSS at first reply MiB, median", QEMU_GA, String.format("%.1f", qgaRss.median()));
    }

    private void session() throws Exception {
        Map<AgentKind, AgentProcess> agents = new EnumMap<>(AgentKind.class);
        try {
            for (AgentKind kind : List.of(AgentKind.QEMU_GA, AgentKind.JQGA)) {
                agents.put(kind, AgentProcess.start(kind));
            }
            for (AgentProcess a : agents.values()) {
                try (BenchClient c = BenchClient.connect(a.socket())) {
                    c.roundTrip(BenchClient.ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}"));
                }
                ProcStats s = ProcStats.of(a.pid());
                table.put("RSS after start MiB", column(a.kind()), String.format("%.1f", s.rssMiB()));
                table.put("threads after start", column(a.kind()), Integer.toString(s.threads()));
            }
            latency(agents);
            throughput(agents);
            idle(agents);
        } finally {
            for (AgentProcess a : agents.values()) {
                a.close();
            }
        }
    }

    /** Sequential guest-ping: a warm-up of 2000, then {@code pings} timed round trips per round. */
    private void latency(Map<AgentKind, AgentProcess> agents) throws IOException {
        byte[] ping = BenchClient.ascii("{\"execute\":\"guest-ping\"}");
        Map<AgentKind, Samples> rtt = new EnumMap<>(AgentKind.class);
        for (int r = 0; r < rounds; r++) {
            for (AgentProcess a : agents.values()) {
                try (BenchClient c = BenchClient.connect(a.socket())) {
                    for (int i = 0; i < 2000; i++) {
                        c.roundTrip(ping);
                    }
                    Samples s = rtt.computeIfAbsent(a.kind(), k -> new Samples());
                    for (int i = 0; i < pings; i++) {
                        s.add(c.roundTrip(ping) / 1000.0);
                    }
                    if (!c.lastLine().equals("{\"return\": {}}")) {
                        throw new IOException(a.kind() + " answered guest-ping with " + c.lastLine());
                    }
                }
                if (r == 0) {
                    ProcStats st = ProcStats.of(a.pid());
                    table.put("RSS after 12k requests MiB", column(a.kind()), String.format("%.1f", st.rssMiB()));
                }
            }
        }
        for (Map.Entry<AgentKind, Samples> e : rtt.entrySet()) {
            Samples s = e.getValue();
            String col = column(e.getKey());
            table.put("guest-ping round trip p50 us", col, String.format("%.1f", s.percentile(50)));
            table.put("guest-ping round trip p99 us", col, String.format("%.1f", s.percentile(99)));
            table.put("guest-ping round trip p99.9 us", col, String.format("%.1f", s.percentile(99.9)));
        }
    }

    /** {@code requests} guest-sync written in one go while the replies are read; a run per round. */
    private void throughput(Map<AgentKind, AgentProcess> agents) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder(requests * 48);
        for (int i = 1; i <= requests; i++) {
            sb.append("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":")
                    .append(i)
                    .append("}}\n");
        }
        byte[] stream = BenchClient.ascii(sb.toString());
        Map<AgentKind, Samples> rates = new EnumMap<>(AgentKind.class);
        for (int r = 0; r < rounds + 1; r++) {
            for (AgentProcess a : agents.values()) {
                try (BenchClient c = BenchClient.connect(a.socket())) {
                    long ns = c.pipelined(stream, requests);
                    if (!c.lastLine().equals("{\"return\": " + requests + "}")) {
                        throw new IOException(a.kind() + " ended with " + c.lastLine());
                    }
                    if (r > 0) { // the first round warms up
                        rates.computeIfAbsent(a.kind(), k -> new Samples()).add(requests / (ns / 1e9));
                    }
                }
            }
        }
        for (Map.Entry<AgentKind, Samples> e : rates.entrySet()) {
            table.put(
                    "pipelined guest-sync req/s, median (min..max) of " + rounds,
                    column(e.getKey()),
                    e.getValue().spread("%.0f"));
        }
        for (AgentProcess a : agents.values()) {
            table.put(
                    "RSS after throughput runs MiB",
                    column(a.kind()),
                    String.format("%.1f", ProcStats.of(a.pid()).rssMiB()));
        }
    }

    /** Both agents idle side by side: first with no client, then each with a connected silent one. */
    private void idle(Map<AgentKind, AgentProcess> agents) throws Exception {
        if (idleSeconds == 0) {
            return;
        }
        idlePhase(agents, "no client");
        List<BenchClient> clients = new java.util.ArrayList<>();
        try {
            for (AgentProcess a : agents.values()) {
                BenchClient c = BenchClient.connect(a.socket());
                clients.add(c);
                c.roundTrip(BenchClient.ascii("{\"execute\":\"guest-ping\"}"));
            }
            idlePhase(agents, "silent client");
        } finally {
            for (BenchClient c : clients) {
                c.close();
            }
        }
        for (AgentProcess a : agents.values()) {
            ProcStats s = ProcStats.of(a.pid());
            table.put("RSS after idle MiB", column(a.kind()), String.format("%.1f", s.rssMiB()));
            table.put("threads after idle", column(a.kind()), Integer.toString(s.threads()));
        }
    }

    private void idlePhase(Map<AgentKind, AgentProcess> agents, String what) throws Exception {
        Thread.sleep(1000); // let the last reply's work settle
        Map<AgentKind, ProcStats> before = new EnumMap<>(AgentKind.class);
        Map<AgentKind, Map<String, Long>> threadsBefore = new EnumMap<>(AgentKind.class);
        for (AgentProcess a : agents.values()) {
            before.put(a.kind(), ProcStats.of(a.pid()));
            threadsBefore.put(a.kind(), ProcStats.threadWakeups(a.pid()));
        }
        Thread.sleep(idleSeconds * 1000L);
        for (AgentProcess a : agents.values()) {
            ProcStats d = ProcStats.of(a.pid()).minus(before.get(a.kind()));
            table.put(
                    "idle " + idleSeconds + " s, " + what + ": CPU ticks / wake-ups",
                    column(a.kind()),
                    d.cpuTicks() + " / " + d.contextSwitches());
            if (!BenchEnvironment.text("verbose", "").isEmpty()) {
                System.out.println("    " + a.kind() + " wake-ups by thread: "
                        + ProcStats.wakeupsBetween(threadsBefore.get(a.kind()), ProcStats.threadWakeups(a.pid())));
            }
        }
    }
}
