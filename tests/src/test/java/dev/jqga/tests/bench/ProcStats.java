package dev.jqga.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the kernel says about a process: resident memory, thread count, CPU time and wake-ups
 * (context switches), read from {@code /proc/<pid>}. Sample before and after a phase and take
 * {@link #minus} to get what the phase cost.
 */
public record ProcStats(long rssKiB, int threads, long cpuTicks, long contextSwitches) {

    /** Clock ticks per second of {@code utime}/{@code stime} (USER_HZ, 100 on every Linux ABI). */
    public static final int TICKS_PER_SECOND = 100;

    public static ProcStats of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = firstNumber(line);
            } else if (line.startsWith("Threads:")) {
                threads = (int) firstNumber(line);
            }
        }
        return new ProcStats(rss, threads, cpuTicks(proc), contextSwitches(proc));
    }

    /** utime + stime of all threads (fields 14 and 15 of /proc/pid/stat). */
    private static long cpuTicks(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        // the command name may contain spaces and parentheses: fields start after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Voluntary + involuntary context switches summed over the live threads: each is a wake-up. */
    private static long contextSwitches(Path proc) throws IOException {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")
                                || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum += firstNumber(line);
                        }
                    }
                } catch (IOException threadEnded) {
                    // a thread that ended between list and read
                }
            }
        }
        return sum;
    }

    /** Wake-ups so far per live thread, keyed "tid name", to find who wakes an idle process. */
    public static Map<String, Long> threadWakeups(long pid) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    long n = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            n += firstNumber(line);
                        }
                    }
                    out.put(t.getFileName() + " " + name, n);
                } catch (IOException threadEnded) {
                    // gone between list and read
                }
            }
        }
        return out;
    }

    /** The threads that woke between two {@link #threadWakeups} samples, with how often. */
    public static Map<String, Long> wakeupsBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((thread, n) -> {
            long d = n - before.getOrDefault(thread, 0L);
            if (d != 0) {
                out.put(thread, d);
            }
        });
        return out;
    }

    /** The cost of a phase: CPU and wake-ups as differences, memory and threads as of {@code this}. */
    public ProcStats minus(ProcStats before) {
        return new ProcStats(rssKiB, threads, cpuTicks - before.cpuTicks, contextSwitches - before.contextSwitches);
    }

    public double rssMiB() {
        return rssKiB / 1024.0;
    }

    private static long firstNumber(String line) {
        String digits = line.replaceAll("[^0-9 ]", " ").trim().split("\\s+")[0];
        return Long.parseLong(digits);
    }
}
