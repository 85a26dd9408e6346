package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * End-to-end session benchmark: jqga (with and without its class-data archive) beside qemu-ga
 * on this machine, over unix sockets, agents started as the test harness starts them; see
 * {@link SessionMeasurements} for what is measured.
 *
 * <p>Run it with {@code mvn -B -ntp -q package -DskipTests -Pbench} (tests/bench.md). Settings are
 * {@code name=value} arguments ({@code -Dbench.args="requests=1000 idleSeconds=5"}): requests,
 * pings, rounds, startRuns, idleSeconds, verbose, and out (a file the table is appended to).
 */
public final class SessionBenchmark {
    private SessionBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchEnvironment.configure(args);
        System.out.println("SessionBenchmark: " + BenchEnvironment.describe());
        SessionMeasurements m = new SessionMeasurements(
                "Session benchmark",
                List.of(
                        Subject.of("jqga", AgentKind.JQGA),
                        new Subject("jqga, no AppCDS", AgentKind.JQGA, Map.of("JQGA_CDS", "off")),
                        Subject.of("qemu-ga", AgentKind.QEMU_GA)));
        m.runAll();
        print(m.table());
    }

    /** Prints the table, and appends it to the {@code out} setting's file when there is one. */
    static void print(ResultTable table) throws java.io.IOException {
        String out = BenchEnvironment.text("out", "");
        table.print(System.out, out.isEmpty() ? null : Path.of(out));
    }
}
