package dev.jqga.tests.vm;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The agent as a process in the guest: idle without burning CPU while no host is connected,
 * never restarted during the run, and guest-shutdown powering the VM off (the last check).
 */
final class LifecycleChecks {
    /** How long the host stays away in idle-cpu (jqga.vm.idle-seconds). */
    static final int IDLE_SECONDS = Integer.getInteger("jqga.vm.idle-seconds", 30);

    /**
     * How long the agent may settle after the host left before the measurement starts
     * (jqga.vm.idle-settle-seconds): a JVM finishes its start-up compilations in the background,
     * which is warm-up, not idling.
     */
    static final int SETTLE_SECONDS = Integer.getInteger("jqga.vm.idle-settle-seconds", 10);

    /** The most CPU the agent may use while idle, in percent of one CPU (jqga.vm.idle-cpu-limit). */
    static final double IDLE_CPU_LIMIT_PERCENT =
            Double.parseDouble(System.getProperty("jqga.vm.idle-cpu-limit", "5.0"));

    private LifecycleChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("idle-cpu", LifecycleChecks::idleCpu),
                Check.of("agent-one-process", LifecycleChecks::oneProcess),
                Check.of("guest-shutdown", LifecycleChecks::shutdown, "guest-shutdown"));
    }

    /**
     * The agent's CPU time as the guest kernel counts it, read by the probe: utime + stime of
     * /proc/PID/stat (all its threads, those that ended included), in USER_HZ ticks (1/100 s),
     * and the same per live thread, to say where idle time goes.
     */
    record CpuSample(long ticks, double uptime, Map<String, Long> threads) {
        /** utime and stime, after the comm field (which may hold spaces). */
        private static final String TICKS = "sed 's/.*) //' %s | cut -d' ' -f12,13";

        static CpuSample read(GuestSession s, String pid) throws IOException, CheckFailed {
            String proc = "/proc/" + pid;
            List<String> l = s.probe()
                    .run(String.format(TICKS, proc + "/stat") + "; cut -d' ' -f1 /proc/uptime; for t in " + proc
                            + "/task/*; do echo \"${t##*/} $(" + String.format(TICKS, "$t/stat")
                            + ") $(cat $t/comm)\"; done")
                    .lines()
                    .toList();
            Map<String, Long> threads = new LinkedHashMap<>();
            for (String t : l.subList(2, l.size())) {
                String[] f = t.split(" ", 4); // tid utime stime comm
                threads.put(f[0] + " " + f[3], Long.parseLong(f[1]) + Long.parseLong(f[2]));
            }
            return new CpuSample(sum(l.get(0)), Double.parseDouble(l.get(1)), threads);
        }

        private static long sum(String utimeStime) {
            String[] t = utimeStime.trim().split(" ");
            return Long.parseLong(t[0]) + Long.parseLong(t[1]);
        }

        /** The threads that used CPU since the earlier sample, busiest first ("comm ticks"). */
        String busiestSince(CpuSample earlier) {
            return threads.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - earlier.threads.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(4)
                    .map(e -> e.getKey().substring(e.getKey().indexOf(' ') + 1) + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * The host disconnects; the agent's port then reads EOF at once, every time, until a host
     * comes back. It must wait for one without spinning: its CPU time over the pause stays under
     * the limit (qemu-ga sleeps 100 ms after each EOF; a spinning agent would take a whole CPU).
     * Then a new connection must sync at once. The numbers of both agents are reported.
     */
    static String idleCpu(GuestSession s) throws Exception {
        String pid = s.agentPid();
        s.port().disconnect();
        GuestVm.sleep(SETTLE_SECONDS * 1000L);
        CpuSample before = CpuSample.read(s, pid);
        GuestVm.sleep(IDLE_SECONDS * 1000L);
        CpuSample after = CpuSample.read(s, pid);
        s.port().connect();
        s.port().sync();
        double elapsed = after.uptime() - before.uptime();
        double cpu = (after.ticks() - before.ticks()) / 100.0;
        double percent = 100 * cpu / elapsed;
        String text = String.format(
                "%.2f s CPU in %.1f s with no host (%.2f %% of a CPU; ticks by thread: %s)",
                cpu, elapsed, percent, after.busiestSince(before));
        s.measure("idle CPU, no host connected", text);
        if (percent > IDLE_CPU_LIMIT_PERCENT) {
            throw new CheckFailed(text + ", limit " + IDLE_CPU_LIMIT_PERCENT + " %");
        }
        return text + ", then synced at once";
    }

    /** The agent started once and is still the same process (the start script logs each start). */
    static String oneProcess(GuestSession s) throws Exception {
        String log = s.vm().log("agent.log");
        long starts = log.lines().filter(l -> l.startsWith("agent: starting ")).count();
        if (starts != 1 || log.contains("agent: RESTART")) {
            throw new CheckFailed(starts + " agent starts in agent.log");
        }
        String pid = s.agentPid();
        String comm = s.probe().run("cat /proc/" + pid + "/comm").trim();
        return "one start, pid " + pid + " (" + comm + ") still running";
    }

    /**
     * guest-shutdown has no success reply: the VM must power off (QEMU exits 0) and QMP must
     * report SHUTDOWN with reason guest-shutdown. Any reply line is an error reply: a failure.
     */
    static String shutdown(GuestSession s) throws Exception {
        long sent = System.nanoTime();
        s.port().send(AgentPort.request("guest-shutdown", null, null) + "\n");
        long deadline = sent + Duration.ofSeconds(60).toNanos();
        while (s.vm().isRunning() && System.nanoTime() < deadline) {
            String reply;
            try {
                reply = s.port().pollLine(Duration.ofMillis(500));
            } catch (IOException closed) {
                s.vm().awaitExit(Duration.ofMillis(500)); // QEMU is going away
                continue;
            }
            if (reply != null) {
                throw new CheckFailed("guest-shutdown answered: " + reply);
            }
        }
        Integer rc = s.vm().awaitExit(Duration.ofSeconds(5));
        if (rc == null) {
            throw new CheckFailed("QEMU still running 60 s after guest-shutdown");
        }
        double took = (System.nanoTime() - sent) / 1e9;
        QmpMonitor.Event e = s.vm().qmp()
                .awaitEvent("SHUTDOWN", d -> true, Duration.ofSeconds(1))
                .orElseThrow(() -> new CheckFailed("QEMU exited " + rc + " without a QMP SHUTDOWN event"));
        String reason = e.data().path("reason").asText();
        if (rc != 0 || !reason.equals("guest-shutdown")) {
            throw new CheckFailed("QEMU exited " + rc + ", SHUTDOWN reason " + reason);
        }
        s.measure("guest-shutdown to QEMU exit", String.format("%.1f s", took));
        return String.format("no reply; QEMU exited 0 after %.1f s, QMP SHUTDOWN reason guest-shutdown", took);
    }
}
