package dev.jqga.tests.harness;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * One agent of each kind for a whole test class, started on first use, as QEMU's test-qga shares
 * one qemu-ga between its tests (so parser state and the handle counter carry over). Stopped
 * with SIGTERM in {@link #close()}, which also checks the exit status is 0.
 */
public final class SharedAgents implements AutoCloseable {
    private final Map<AgentKind, AgentProcess> agents = new EnumMap<>(AgentKind.class);
    private final String[] extraArgs;

    public SharedAgents(String... extraArgs) {
        this.extraArgs = extraArgs;
    }

    public synchronized AgentProcess get(AgentKind kind) throws IOException {
        AgentProcess a = agents.get(kind);
        if (a == null || !a.process().isAlive()) {
            a = AgentProcess.start(kind, extraArgs);
            agents.put(kind, a);
        }
        return a;
    }

    @Override
    public synchronized void close() throws Exception {
        AssertionError failed = null;
        for (AgentProcess a : agents.values()) {
            int status = a.stop();
            if (status != 0) {
                a.keepLogs();
                failed = new AssertionError(a.kind() + " exited with " + status + " after SIGTERM; log:\n" + a.log());
            }
            a.close();
        }
        agents.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
