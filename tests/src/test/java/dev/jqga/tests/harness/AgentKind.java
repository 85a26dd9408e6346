package dev.jqga.tests.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which agent a test drives: the built jqga distribution, or Debian's qemu-ga as the reference. */
public enum AgentKind {
    JQGA,
    QEMU_GA;

    /** The command that starts this agent, before qemu-ga's own options. */
    public List<String> command() {
        return switch (this) {
            case JQGA -> List.of(jqgaHome().resolve("bin/jqga").toString());
            case QEMU_GA -> List.of(qemuGaPath().toString());
        };
    }

    public static Path jqgaHome() {
        return Path.of(System.getProperty("jqga.home", "../packaging/target/jqga"))
                .toAbsolutePath()
                .normalize();
    }

    public static Path qemuGaPath() {
        return Path.of(System.getProperty("qemu-ga.path", "/usr/sbin/qemu-ga"));
    }

    /**
     * The reference must be there: the README's test command installs it, and a missing one is a
     * failure, never a skip.
     */
    public void requireAvailable() {
        Path p = this == JQGA ? jqgaHome().resolve("bin/jqga") : qemuGaPath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(
                    p + " is missing: build the distribution / apt-get install qemu-guest-agent");
        }
    }
}
