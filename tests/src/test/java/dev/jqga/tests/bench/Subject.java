package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import java.util.Map;

/** One column of a benchmark table: an agent, and the environment it is started with. */
public record Subject(String name, AgentKind kind, Map<String, String> env) {
    public static Subject of(String name, AgentKind kind) {
        return new Subject(name, kind, Map.of());
    }

    /** jqga with extra JVM options after the launcher's (they win). */
    public static Subject jqga(String name, String javaOpts) {
        return new Subject(name, AgentKind.JQGA, Map.of("JQGA_JAVA_OPTS", javaOpts));
    }
}
