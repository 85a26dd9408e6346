package dev.jqga.tests.vm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real-guest suite (tests/vm/run.sh runs it): boots the test guest once per agent (Debian's
 * qemu-ga as the reference, then jqga), runs the same check list against each over the
 * virtio-serial chardev, prints one line per check and a closing "N passed, N failed" line, and
 * exits 1 when a check failed. A failed boot keeps its run directory (console.log, agent.log,
 * qemu.log) and says where.
 *
 * <p>Arguments: {@code --kernel F --initrd F --root F --data F [--agents a,b] [--only c1,c2]
 * [--list]}.
 */
public final class VmSuite {
    private static final PrintStream OUT = System.out;
    /** The checks the rest stand on: they always run, even with --only. */
    private static final Set<String> BOOTSTRAP = Set.of("first-sync", "guest-info");
    /** The checks that still say something when the agent never answered (QEMU's view). */
    private static final Set<String> WITHOUT_SESSION = Set.of("first-sync", "port-opened");

    /** One check's verdict against one agent. */
    record Result(String agent, String check, boolean passed, double seconds, String detail) {}

    private VmSuite() {}

    static List<Check> checks() {
        List<Check> all = new ArrayList<>(SessionChecks.all());
        all.addAll(FileExecChecks.all());
        all.addAll(LifecycleChecks.all()); // guest-shutdown last: it ends the boot
        return all;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        if (opt.containsKey("list")) {
            for (Check c : checks()) {
                OUT.printf("%-22s needs %s%n", c.name(), c.needs().isEmpty() ? "-" : String.join(", ", c.needs()));
            }
            return;
        }
        GuestVm.Image image =
                new GuestVm.Image(path(opt, "kernel"), path(opt, "initrd"), path(opt, "root"), path(opt, "data"));
        List<String> agents =
                Arrays.asList(opt.getOrDefault("agents", "qemu-ga,jqga").split(","));
        Set<String> only = opt.containsKey("only") ? Set.of(opt.get("only").split(",")) : null;

        OUT.printf(
                "vm: %s, accel %s, checks against %s%n",
                image.root().getFileName(), GuestVm.kvmUsable() ? "kvm" : "tcg", String.join(", ", agents));
        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        Map<String, Map<String, String>> measured = new LinkedHashMap<>();
        for (String agent : agents) {
            long t = System.nanoTime();
            Map<String, String> m = new LinkedHashMap<>();
            results.addAll(runAgainst(image, agent, only, m));
            m.put("boot to QEMU exit, all checks", String.format("%.1f s", (System.nanoTime() - t) / 1e9));
            measured.put(agent, m);
        }
        OUT.println("measured:");
        measured.forEach((agent, m) -> m.forEach((k, v) -> OUT.printf("  %-8s %-32s %s%n", agent, k, v)));
        OUT.printf("  whole run %.1f s%n", (System.nanoTime() - t0) / 1e9);
        long failed = results.stream().filter(r -> !r.passed()).count();
        OUT.printf("%d passed, %d failed%n", results.size() - failed, failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** One boot with this agent, every check in order. */
    static List<Result> runAgainst(GuestVm.Image image, String agent, Set<String> only, Map<String, String> measured)
            throws IOException {
        List<Result> results = new ArrayList<>();
        GuestVm vm;
        try {
            vm = GuestVm.boot(image, agent);
        } catch (IOException e) {
            results.add(print(new Result(agent, "boot", false, 0, e.getMessage())));
            return results;
        }
        Thread killer = new Thread(() -> interrupted(vm));
        Runtime.getRuntime().addShutdownHook(killer); // Ctrl-C, SIGTERM must not leave QEMU behind
        GuestSession s = new GuestSession(agent, vm, new AgentPort(vm.agentSocket()));
        try {
            s.port().connect();
            boolean synced = false;
            for (Check c : checks()) {
                if (only != null && !only.contains(c.name()) && !BOOTSTRAP.contains(c.name())) {
                    continue;
                }
                Result r = run(c, s, synced);
                results.add(print(r));
                if (c.name().equals("first-sync")) {
                    synced = r.passed();
                    if (synced) {
                        s.connectProbe();
                    }
                } else if (!r.passed() && synced) {
                    s.recover();
                }
            }
        } finally {
            measured.putAll(s.measurements());
            // -Djqga.vm.keep-logs=true (JQGA_VM_JAVA_OPTS) keeps them after a passing run too
            boolean keep = results.stream().anyMatch(r -> !r.passed()) || Boolean.getBoolean("jqga.vm.keep-logs");
            if (keep) {
                vm.keepLogs();
            }
            s.close();
            vm.close();
            Runtime.getRuntime().removeShutdownHook(killer);
            if (keep) {
                OUT.printf("  %s: logs kept in %s (console.log, agent.log, qemu.log)%n", agent, vm.runDir());
            }
        }
        return results;
    }

    private static Result run(Check c, GuestSession s, boolean synced) {
        List<String> missing = s.missing(c.needs());
        if (!missing.isEmpty()) {
            return new Result(s.agent(), c.name(), false, 0, "not implemented: " + String.join(", ", missing));
        }
        if (!synced && !WITHOUT_SESSION.contains(c.name())) {
            return new Result(s.agent(), c.name(), false, 0, "no session: the agent never answered");
        }
        long t = System.nanoTime();
        try {
            String detail = c.body().run(s);
            return new Result(s.agent(), c.name(), true, (System.nanoTime() - t) / 1e9, detail);
        } catch (CheckFailed e) {
            return new Result(s.agent(), c.name(), false, (System.nanoTime() - t) / 1e9, e.getMessage());
        } catch (Exception e) {
            return new Result(s.agent(), c.name(), false, (System.nanoTime() - t) / 1e9, e.toString());
        }
    }

    private static Result print(Result r) {
        OUT.printf(
                "%s  %-8s %-22s %6.2f s  %s%n",
                r.passed() ? "PASS" : "FAIL", r.agent(), r.check(), r.seconds(), r.detail());
        OUT.flush();
        return r;
    }

    /** The run was stopped from outside: QEMU goes, its logs stay. */
    private static void interrupted(GuestVm vm) {
        vm.keepLogs();
        try {
            vm.close();
        } catch (IOException e) {
            // exiting anyway
        }
        System.err.println("vm: interrupted; logs kept in " + vm.runDir());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            if (a.equals("--list")) {
                m.put("list", "");
            } else if (i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
        return m;
    }

    private static Path path(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " missing (tests/vm/run.sh passes it)");
        }
        return Path.of(v);
    }
}
