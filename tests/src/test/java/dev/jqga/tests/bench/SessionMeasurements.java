package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session measurements shared by the benchmarks, for any set of {@link Subject}s (one table
 * column each), interleaved run by run so that machine noise hits every subject alike:
 * start-to-first-reply, resident memory and threads, sequential guest-ping round trips,
 * pipelined guest-sync throughput, and idle CPU and wake-ups with no client and with a silent one.
 * Settings ({@link BenchEnvironment#setting}): requests, pings, rounds, startRuns, idleSeconds,
 * verbose.
 */
public final class SessionMeasurements {
    private static final byte[] PING = BenchClient.ascii("{\"execute\":\"guest-ping\"}");
    private static final byte[] SYNC = BenchClient.ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}");

    private final int requests = BenchEnvironment.setting("requests", 100_000);
    private final int pings = BenchEnvironment.setting("pings", 10_000);
    private final int rounds = BenchEnvironment.setting("rounds", 3);
    private final int startRuns = BenchEnvironment.setting("startRuns", 20);
    private final int idleSeconds = BenchEnvironment.setting("idleSeconds", 30);
    private final List<Subject> subjects;
    private final ResultTable table;

    public SessionMeasurements(String title, List<Subject> subjects) {
        this.subjects = subjects;
        this.table = new ResultTable(title, subjects.stream().map(Subject::name).toArray(String[]::new));
    }

    public ResultTable table() {
        return table;
    }

    /** Everything, in order: start-up runs, then one long-lived agent per subject. */
    public void runAll() throws Exception {
        startUp();
        Map<Subject, AgentProcess> agents = new LinkedHashMap<>();
        try {
            for (Subject s : subjects) {
                agents.put(s, AgentProcess.start(s.kind(), s.env()));
            }
            for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
                try (BenchClient c = BenchClient.connect(e.getValue().socket())) {
                    c.roundTrip(SYNC);
                }
                ProcStats s = ProcStats.of(e.getValue().pid());
                table.put("RSS after start, MiB", e.getKey().name(), String.format("%.1f", s.rssMiB()));
                table.put("threads after start", e.getKey().name(), Integer.toString(s.threads()));
            }
            latency(agents);
            throughput(agents);
            largeRequest(agents);
            idle(agents);
        } finally {
            for (AgentProcess a : agents.values()) {
                a.close();
            }
        }
        table.put("load when done", subjects.get(0).name(), BenchEnvironment.load());
    }

    /** Spawn to first guest-sync reply, every subject once per run. */
    public void startUp() throws IOException, InterruptedException {
        if (startRuns == 0) {
            return;
        }
        Map<Subject, Samples> ms = new LinkedHashMap<>();
        Map<Subject, Samples> rss = new LinkedHashMap<>();
        for (int i = 0; i < startRuns; i++) {
            for (Subject s : subjects) {
                FirstReply.Start start = FirstReply.measure(s.kind(), s.env());
                ms.computeIfAbsent(s, k -> new Samples()).add(start.millis());
                rss.computeIfAbsent(s, k -> new Samples()).add(start.stats().rssMiB());
            }
        }
        for (Subject s : subjects) {
            table.put(
                    "start-to-first-reply ms, median (min..max) of " + startRuns,
                    s.name(),
                    ms.get(s).spread("%.1f"));
            table.put(
                    "RSS at first reply, MiB (median)",
                    s.name(),
                    String.format("%.1f", rss.get(s).median()));
        }
    }

    /** Sequential guest-ping: a warm-up of 2000, then {@code pings} timed round trips per round. */
    private void latency(Map<Subject, AgentProcess> agents) throws IOException {
        Map<Subject, Samples> rtt = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
                try (BenchClient c = BenchClient.connect(e.getValue().socket())) {
                    for (int i = 0; i < 2000; i++) {
                        c.roundTrip(PING);
                    }
                    Samples s = rtt.computeIfAbsent(e.getKey(), k -> new Samples());
                    for (int i = 0; i < pings; i++) {
                        s.add(c.roundTrip(PING) / 1000.0);
                    }
                    if (!c.lastLine().equals("{\"return\": {}}")) {
                        throw new IOException(e.getKey().name() + " answered guest-ping with " + c.lastLine());
                    }
                }
                if (r == 0) {
                    table.put(
                            "RSS after " + (2000 + pings) / 1000 + "k pings, MiB",
                            e.getKey().name(),
                            String.format(
                                    "%.1f", ProcStats.of(e.getValue().pid()).rssMiB()));
                }
            }
        }
        rtt.forEach((subject, s) -> {
            table.put("guest-ping round trip p50, us", subject.name(), String.format("%.1f", s.percentile(50)));
            table.put("guest-ping round trip p99, us", subject.name(), String.format("%.1f", s.percentile(99)));
            table.put("guest-ping round trip p99.9, us", subject.name(), String.format("%.1f", s.percentile(99.9)));
        });
    }

    /** guest-sync requests written in one go while the replies are read; a warm-up, then a run per round. */
    private void throughput(Map<Subject, AgentProcess> agents) throws IOException, InterruptedException {
        byte[] stream = syncStream(requests);
        Map<Subject, Samples> rates = new LinkedHashMap<>();
        for (int r = 0; r < rounds + 1; r++) {
            for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
                double rate = pipelinedRate(e.getValue(), stream, requests);
                if (r > 0) {
                    rates.computeIfAbsent(e.getKey(), k -> new Samples()).add(rate);
                }
            }
        }
        rates.forEach((subject, s) -> table.put(
                "pipelined guest-sync req/s, median (min..max) of " + rounds, subject.name(), s.spread("%.0f")));
        agents.forEach((subject, a) -> table.put(
                "RSS after " + (rounds + 1) * requests / 1000 + "k pipelined, MiB",
                subject.name(),
                String.format("%.1f", rss(a))));
    }

    /** {@code n} guest-sync requests with ids 1..n, newline-separated. */
    public static byte[] syncStream(int n) {
        StringBuilder sb = new StringBuilder(n * 48);
        for (int i = 1; i <= n; i++) {
            sb.append("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":")
                    .append(i)
                    .append("}}\n");
        }
        return BenchClient.ascii(sb.toString());
    }

    /** Requests per second for one pipelined run of {@link #syncStream}, on a fresh connection. */
    public static double pipelinedRate(AgentProcess agent, byte[] stream, int n)
            throws IOException, InterruptedException {
        try (BenchClient c = BenchClient.connect(agent.socket())) {
            long ns = c.pipelined(stream, n);
            if (!c.lastLine().equals("{\"return\": " + n + "}")) {
                throw new IOException(agent.kind() + " ended with " + c.lastLine());
            }
            return n / (ns / 1e9);
        }
    }

    /**
     * One request as large as a guest-file-write of 36 MiB (a 48 MiB base64 string; the argument
     * is unexpected, so both agents answer an error after reading all of it), then the memory
     * right after and 5 s later: how much of the transfer's memory an agent keeps.
     */
    private void largeRequest(Map<Subject, AgentProcess> agents) throws IOException, InterruptedException {
        int mib = BenchEnvironment.setting("largeMiB", 48);
        if (mib == 0) {
            return;
        }
        byte[] head = BenchClient.ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"pad\":\"");
        byte[] tail = BenchClient.ascii("\"}}");
        byte[] request = new byte[head.length + (mib << 20) + tail.length];
        System.arraycopy(head, 0, request, 0, head.length);
        java.util.Arrays.fill(request, head.length, head.length + (mib << 20), (byte) 'A');
        System.arraycopy(tail, 0, request, request.length - tail.length, tail.length);
        for (int r = 0; r < 2; r++) { // the first round warms up (both sides' page faults, JIT)
            for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
                try (BenchClient c = BenchClient.connect(e.getValue().socket())) {
                    long ns = c.roundTrip(request);
                    if (!c.lastLine().contains("'pad' is unexpected")) {
                        throw new IOException(e.getKey().name() + " answered " + c.lastLine());
                    }
                    if (r == 1) {
                        String name = e.getKey().name();
                        table.put(mib + " MiB request: MiB/s", name, String.format("%.0f", mib / (ns / 1e9)));
                        table.put(
                                mib + " MiB request: RSS at its reply, MiB",
                                name,
                                String.format("%.1f", rss(e.getValue())));
                    }
                }
            }
        }
        Thread.sleep(5000);
        agents.forEach((subject, a) ->
                table.put(mib + " MiB request: RSS 5 s later, MiB", subject.name(), String.format("%.1f", rss(a))));
    }

    private static double rss(AgentProcess a) {
        try {
            return ProcStats.of(a.pid()).rssMiB();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** All agents idle side by side: first with no client, then each with a connected silent one. */
    private void idle(Map<Subject, AgentProcess> agents) throws Exception {
        if (idleSeconds == 0) {
            return;
        }
        idlePhase(agents, "no client");
        List<BenchClient> clients = new ArrayList<>();
        try {
            for (AgentProcess a : agents.values()) {
                BenchClient c = BenchClient.connect(a.socket());
                clients.add(c);
                c.roundTrip(PING);
            }
            idlePhase(agents, "silent client");
        } finally {
            for (BenchClient c : clients) {
                c.close();
            }
        }
        for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
            ProcStats s = ProcStats.of(e.getValue().pid());
            table.put("RSS after idle, MiB", e.getKey().name(), String.format("%.1f", s.rssMiB()));
            table.put("threads after idle", e.getKey().name(), Integer.toString(s.threads()));
        }
    }

    private void idlePhase(Map<Subject, AgentProcess> agents, String what) throws Exception {
        Thread.sleep(1000); // let the last reply's work settle
        Map<Subject, ProcStats> before = new LinkedHashMap<>();
        Map<Subject, Map<String, Long>> threadsBefore = new LinkedHashMap<>();
        for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
            before.put(e.getKey(), ProcStats.of(e.getValue().pid()));
            threadsBefore.put(e.getKey(), ProcStats.threadWakeups(e.getValue().pid()));
        }
        Thread.sleep(idleSeconds * 1000L);
        for (Map.Entry<Subject, AgentProcess> e : agents.entrySet()) {
            long pid = e.getValue().pid();
            ProcStats d = ProcStats.of(pid).minus(before.get(e.getKey()));
            table.put(
                    "idle " + idleSeconds + " s, " + what + ": CPU ticks / wake-ups",
                    e.getKey().name(),
                    d.cpuTicks() + " / " + d.contextSwitches());
            if (!BenchEnvironment.text("verbose", "").isEmpty()) {
                System.out.println("    " + e.getKey().name() + " wake-ups by thread: "
                        + ProcStats.wakeupsBetween(threadsBefore.get(e.getKey()), ProcStats.threadWakeups(pid)));
            }
        }
    }
}
