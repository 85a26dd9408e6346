package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The measurements behind the launcher's JVM options: jqga as the launcher starts it, beside
 * variants that each change one choice back (options appended after the launcher's win), all
 * through {@link SessionMeasurements}. Run it with {@code mvn -B -ntp -q package -DskipTests
 * -Pbench -Dbench=JvmFlagsBenchmark}; {@code extra=<options>} and {@code extra2=<options>} add
 * variants of your own, {@code only=launcher,extra} keeps just the named ones.
 */
public final class JvmFlagsBenchmark {
    private JvmFlagsBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchEnvironment.configure(args);
        System.out.println("JvmFlagsBenchmark: " + BenchEnvironment.describe());
        List<Subject> variants = new ArrayList<>(List.of(
                Subject.of("launcher", AgentKind.JQGA),
                new Subject("no AppCDS", AgentKind.JQGA, Map.of("JQGA_CDS", "off")),
                Subject.jqga("C1+C2", "-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2"),
                Subject.jqga("G1", "-XX:-UseSerialGC -XX:+UseG1GC"),
                Subject.jqga(
                        "timed safepoints+deflation",
                        "-XX:GuaranteedSafepointInterval=1000 -XX:AsyncDeflationInterval=250"),
                new Subject(
                        "JDK defaults", AgentKind.JQGA, Map.of("JQGA_CDS", "off", "JQGA_JAVA_OPTS", JDK_DEFAULTS))));
        String extra = BenchEnvironment.text("extra", "");
        if (!extra.isEmpty()) {
            variants.add(Subject.jqga("extra", extra));
        }
        String extra2 = BenchEnvironment.text("extra2", "");
        if (!extra2.isEmpty()) {
            variants.add(Subject.jqga("extra2", extra2));
        }
        List<String> only = List.of(BenchEnvironment.text("only", "").split(","));
        if (!only.get(0).isEmpty()) {
            variants.removeIf(v -> !only.contains(v.name()));
        }
        SessionMeasurements m = new SessionMeasurements("JVM options of bin/jqga, one changed at a time", variants);
        m.runAll();
        SessionBenchmark.print(m.table());
    }

    /** Undoes the launcher's options: what a plain {@code java -jar} would run with. */
    static final String JDK_DEFAULTS =
            "-XX:-UseSerialGC -XX:+UseG1GC -XX:MaxRAM=128g -Xmx6g -Xss1m -XX:MinHeapFreeRatio=40"
                    + " -XX:MaxHeapFreeRatio=70 -XX:+UsePerfData -XX:GuaranteedSafepointInterval=1000"
                    + " -XX:AsyncDeflationInterval=250 -XX:TieredStopAtLevel=4 -XX:CICompilerCount=2"
                    + " -XX:ReservedCodeCacheSize=240m -XX:+UseNotificationThread -XX:+MethodFlushing";
}
