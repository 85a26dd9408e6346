package dev.jqga.commands;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.Opt;
import dev.jqga.log.Log;
import dev.jqga.platform.ProcessLauncher;
import dev.jqga.platform.ProcessLauncher.CapturedOutput;
import dev.jqga.platform.ProcessLauncher.ChildExit;
import dev.jqga.platform.ProcessLauncher.ChildProcess;
import dev.jqga.protocol.Base64Data;
import dev.jqga.protocol.QgaException;
import dev.jqga.protocol.QmpJson;
import dev.jqga.schema.GuestExec;
import dev.jqga.schema.GuestExecCaptureOutput;
import dev.jqga.schema.GuestExecCaptureOutputMode;
import dev.jqga.schema.GuestExecStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * guest-exec and guest-exec-status, as qemu-ga 10 has them: the child's record stays until the
 * first status reply that says it exited (that reply carries its output and is the only one), and
 * is kept forever if nobody asks. Output is captured up to 16 MiB per stream. An unknown pid
 * answers {@code PID <n> does not exist} (qemu-ga prints a literal {@code PID ld}, a format bug).
 * The platform's launcher does the spawning, the feeding, the capturing and the reaping.
 */
public final class ExecCommands {
    /** Bytes kept per captured stream; the rest is read and dropped, and flagged as truncated. */
    static final int MAX_CAPTURE = 16 << 20;

    public record ExecArgs(
            String path,
            @Opt List<String> arg,
            @Opt List<String> env,
            @Opt Base64Data inputData,
            @Opt GuestExecCaptureOutput captureOutput) {}

    public record StatusArgs(long pid) {}

    private final CommandRegistry registry;
    private final ProcessLauncher launcher;
    private final Log log;
    private final Map<Long, ChildProcess> children = new HashMap<>();

    public ExecCommands(CommandRegistry registry, ProcessLauncher launcher, Log log) {
        this.registry = registry;
        this.launcher = launcher;
        this.log = log;
    }

    public void register() {
        registry.register("guest-exec", ExecArgs.class, this::exec);
        registry.register("guest-exec-status", StatusArgs.class, this::status);
    }

    GuestExec exec(ExecArgs a) throws QgaException {
        byte[] input = a.inputData() == null ? null : a.inputData().decode();
        List<String> argv = new ArrayList<>();
        argv.add(a.path());
        if (a.arg() != null) {
            argv.addAll(a.arg());
        }
        log.info("guest-exec called: \"" + String.join(" ", argv) + "\"");
        GuestExecCaptureOutputMode capture = a.captureOutput() == null
                ? GuestExecCaptureOutputMode.NONE
                : a.captureOutput().mode();
        ChildProcess child;
        try {
            child = launcher.spawn(new ProcessLauncher.Request(argv, a.env(), input, capture, MAX_CAPTURE));
        } catch (ProcessLauncher.SpawnException e) {
            throw new QgaException(e.getMessage());
        }
        children.put(child.pid(), child);
        return new GuestExec(child.pid());
    }

    GuestExecStatus status(StatusArgs a) throws QgaException {
        log.info("guest-exec-status called, pid: " + (a.pid() & 0xFFFFFFFFL));
        ChildProcess child = children.get(a.pid());
        if (child == null) {
            throw new QgaException("PID " + a.pid() + " does not exist");
        }
        ChildExit exit = child.pollExit();
        if (exit == null) {
            return GuestExecStatus.RUNNING;
        }
        children.remove(a.pid());
        return new GuestExecStatus(
                true,
                exit.exitCode() == null ? null : (long) exit.exitCode(),
                exit.signal() == null ? null : (long) exit.signal(),
                data(exit.out()),
                data(exit.err()),
                truncated(exit.out()),
                truncated(exit.err()));
    }

    /** A stream appears only when it produced at least one byte (then with its truncated flag). */
    private static QmpJson.Bytes data(CapturedOutput o) {
        return o.length() == 0 ? null : new QmpJson.Bytes(o.data(), 0, o.length());
    }

    private static Boolean truncated(CapturedOutput o) {
        return o.length() == 0 ? null : o.truncated();
    }
}
