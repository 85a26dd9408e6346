package dev.jqga.commands;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.NoArgs;
import dev.jqga.dispatch.Opt;
import dev.jqga.log.Log;
import dev.jqga.protocol.QgaException;
import dev.jqga.server.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * guest-shutdown and guest-suspend-disk/-ram/-hybrid on a POSIX guest, as qemu-ga 10 does them.
 * All four are success-response=false: when they work the host gets no reply at all (the
 * dispatcher drops it), only failures are answered.
 *
 * <p>Shutdown runs {@code /sbin/poweroff}, {@code /sbin/halt} or {@code /sbin/reboot} when it is
 * executable, else {@code /sbin/shutdown -h -P|-H|-r +0 "hypervisor initiated shutdown"}, and
 * waits for it. Suspend tries systemd ({@code systemctl status} says whether the sleep unit
 * exists, then {@code systemctl suspend|hibernate|hybrid-sleep}), then pm-utils, then writes
 * {@code mem}/{@code disk} to {@code /sys/power/state} itself; errors of the first two are
 * dropped so the next way is tried. Paths are under {@code root} so a fixture tree can stand in
 * for the machine.
 */
public final class PowerCommands {
    public record ShutdownArgs(@Opt String mode) {}

    /** The three suspend modes and the names each way of suspending knows them by. */
    public enum SuspendMode {
        DISK("disk", "systemd-hibernate", "hibernate", "--hibernate", "pm-hibernate", "disk"),
        RAM("ram", "systemd-suspend", "suspend", "--suspend", "pm-suspend", "mem"),
        HYBRID("hybrid", "systemd-hybrid-sleep", "hybrid-sleep", "--suspend-hybrid", "pm-suspend-hybrid", null);

        final String name;
        final String systemdUnit;
        final String systemctlVerb;
        final String pmFlag;
        final String pmCommand;
        /** The word for /sys/power/state; hybrid has none. */
        final String sysfsState;

        SuspendMode(
                String name,
                String systemdUnit,
                String systemctlVerb,
                String pmFlag,
                String pmCommand,
                String sysfsState) {
            this.name = name;
            this.systemdUnit = systemdUnit;
            this.systemctlVerb = systemctlVerb;
            this.pmFlag = pmFlag;
            this.pmCommand = pmCommand;
            this.sysfsState = sysfsState;
        }
    }

    private final CommandRegistry registry;
    private final HelperRunner helpers;
    private final Path root;
    private final Log log;

    public PowerCommands(CommandRegistry registry, HelperRunner helpers, Path root, Log log) {
        this.registry = registry;
        this.helpers = helpers;
        this.root = root;
        this.log = log;
    }

    public void register() {
        registry.register("guest-shutdown", ShutdownArgs.class, a -> {
            shutdown(a.mode());
            return null;
        });
        registry.register("guest-suspend-disk", NoArgs.class, a -> suspend(SuspendMode.DISK));
        registry.register("guest-suspend-ram", NoArgs.class, a -> suspend(SuspendMode.RAM));
        registry.register("guest-suspend-hybrid", NoArgs.class, a -> suspend(SuspendMode.HYBRID));
    }

    public void shutdown(String mode) throws QgaException {
        log.info("guest-shutdown called, mode: " + (mode == null ? "(null)" : mode));
        String program;
        String flag;
        switch (mode == null ? "powerdown" : mode) {
            case "powerdown" -> {
                program = "poweroff";
                flag = "-P";
            }
            case "halt" -> {
                program = "halt";
                flag = "-H";
            }
            case "reboot" -> {
                program = "reboot";
                flag = "-r";
            }
            default ->
                // qemu-ga leaves the closing parenthesis out; we do not copy the typo
                throw new QgaException("mode is invalid (valid values are: halt|powerdown|reboot)");
        }
        Path direct = sbin(program);
        if (Files.isExecutable(direct)) {
            helpers.run(List.of(direct.toString()), null, "shutdown");
        } else {
            helpers.run(
                    List.of(sbin("shutdown").toString(), "-h", flag, "+0", "hypervisor initiated shutdown"),
                    null,
                    "shutdown");
        }
    }

    public Object suspend(SuspendMode mode) throws QgaException {
        boolean supported = false;
        int status = helpers.status(List.of("systemctl", "status", mode.systemdUnit));
        if (status >= 1 && status <= 3) {
            supported = true;
            if (helpers.status(List.of("systemctl", mode.systemctlVerb)) == 0) {
                return null;
            }
        }
        if (helpers.status(List.of("pm-is-supported", mode.pmFlag)) == 0) {
            supported = true;
            if (helpers.status(List.of(mode.pmCommand)) == 0) {
                return null;
            }
        }
        if (mode.sysfsState != null && sysfsOffers(mode.sysfsState)) {
            writeSysfsState(mode.sysfsState);
            return null;
        }
        if (!supported) {
            throw new QgaException("the requested suspend mode is not supported by the guest");
        }
        if (mode.sysfsState == null) {
            throw new QgaException("unknown guest suspend mode");
        }
        // systemd or pm-utils claimed support and failed, and the kernel does not offer the
        // state: qemu-ga reports success here (no reply), and so do we.
        return null;
    }

    private boolean sysfsOffers(String state) {
        try {
            for (String word :
                    Files.readString(powerState(), StandardCharsets.US_ASCII).split("\\s+")) {
                if (word.equals(state)) {
                    return true;
                }
            }
        } catch (IOException e) {
            // no sysfs power control: not a way to suspend here
        }
        return false;
    }

    private void writeSysfsState(String state) throws QgaException {
        try {
            Files.writeString(powerState(), state, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new QgaException("suspend: cannot write to '/sys/power/state': " + Errors.text(e));
        }
    }

    private Path powerState() {
        return root.resolve("sys/power/state");
    }

    private Path sbin(String program) {
        return root.resolve("sbin").resolve(program);
    }
}
