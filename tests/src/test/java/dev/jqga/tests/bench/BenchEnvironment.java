package dev.jqga.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The conditions of a run, printed with its results: measurements on a shared machine mean
 * little without the load they were taken under.
 */
public final class BenchEnvironment {
    private BenchEnvironment() {}

    /** The 1/5/15-minute load averages, e.g. "load 1.95 1.20 0.80". */
    public static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "load ?";
        }
    }

    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " CPUs, " + load() + ", client JVM "
                + System.getProperty("java.vm.version") + ", JQGA_JAVA_OPTS="
                + System.getenv().getOrDefault("JQGA_JAVA_OPTS", "");
    }

    private static final java.util.Map<String, String> SETTINGS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Takes {@code name=value} program arguments as settings (Maven passes {@code -Dbench.args="requests=1000
     * idleSeconds=5"} through as arguments).
     */
    public static void configure(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, got " + a);
            }
            SETTINGS.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    /** An integer setting: a {@code name=value} argument, else {@code -Dbench.name}, else the default. */
    public static int setting(String name, int defaultValue) {
        String v = SETTINGS.get(name);
        return v != null ? Integer.parseInt(v) : Integer.getInteger("bench." + name, defaultValue);
    }

    /** A string setting, looked up as {@link #setting(String, int)}. */
    public static String text(String name, String defaultValue) {
        String v = SETTINGS.get(name);
        return v != null ? v : System.getProperty("bench." + name, defaultValue);
    }
}
