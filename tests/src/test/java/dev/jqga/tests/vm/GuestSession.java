package dev.jqga.tests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks of one boot share: the VM, the agent's port, the probe, the agent's command
 * list (from guest-info) and the numbers the run reports at the end.
 */
final class GuestSession {
    private final String agent;
    private final GuestVm vm;
    private final AgentPort port;
    private GuestProbe probe;
    private String probeProblem = "probe not connected yet";
    private Map<String, Boolean> commands;
    private final Map<String, String> measurements = new LinkedHashMap<>();

    GuestSession(String agent, GuestVm vm, AgentPort port) {
        this.agent = agent;
        this.vm = vm;
        this.port = port;
    }

    String agent() {
        return agent;
    }

    GuestVm vm() {
        return vm;
    }

    AgentPort port() {
        return port;
    }

    /** Connects the probe once; a failure is remembered and reported by the checks that need it. */
    void connectProbe() {
        try {
            probe = GuestProbe.connect(vm.probeSocket(), Duration.ofSeconds(30));
        } catch (IOException e) {
            probeProblem = "no probe: " + e.getMessage();
        }
    }

    GuestProbe probe() throws CheckFailed {
        if (probe == null) {
            throw new CheckFailed(probeProblem);
        }
        return probe;
    }

    /** The agent's pid in the guest (written by the agent's start script, which execs it). */
    String agentPid() throws IOException, CheckFailed {
        return probe().run("cat /run/qga-agent.pid").trim();
    }

    /** Takes the command list of a guest-info reply: name -> enabled. */
    void setCommands(JsonNode guestInfo) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (JsonNode c : guestInfo.path("supported_commands")) {
            m.put(c.path("name").asText(), c.path("enabled").asBoolean());
        }
        commands = m;
    }

    /** The needed commands this agent lacks or lists as disabled (empty before guest-info). */
    List<String> missing(List<String> needs) {
        List<String> out = new ArrayList<>();
        if (commands == null) {
            return out;
        }
        for (String n : needs) {
            Boolean enabled = commands.get(n);
            if (enabled == null) {
                out.add(n + " (absent)");
            } else if (!enabled) {
                out.add(n + " (disabled)");
            }
        }
        return out;
    }

    void measure(String what, String value) {
        measurements.put(what, value);
    }

    Map<String, String> measurements() {
        return measurements;
    }

    /** After a failed check: a fresh connection and a sync, so the next check starts clean. */
    void recover() {
        try {
            if (vm.isRunning()) {
                port.connect();
                port.sync();
            }
        } catch (IOException | CheckFailed e) {
            // the next check will fail on its own and say why
        }
    }

    void close() throws IOException {
        if (probe != null) {
            probe.close();
        }
        port.close();
    }
}
