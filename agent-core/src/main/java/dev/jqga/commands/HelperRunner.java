package dev.jqga.commands;

import dev.jqga.platform.ProcessLauncher;
import dev.jqga.platform.ProcessLauncher.ChildExit;
import dev.jqga.platform.ProcessLauncher.ChildProcess;
import dev.jqga.protocol.QgaException;
import dev.jqga.schema.GuestExecCaptureOutputMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a helper program to completion the way qemu-ga's run-command helper does for shutdown,
 * suspend, hwclock, chpasswd and the fsfreeze hook: stdin from the given bytes (or /dev/null),
 * stdout and stderr captured together, a bare program name searched in PATH, and the request
 * thread waiting until it is done. A failure becomes qemu-ga 10's text, with the helper's output
 * appended.
 */
public final class HelperRunner {
    /** Helper output kept for the error text; helpers print a few lines at most. */
    private static final int OUTPUT_LIMIT = 64 << 10;

    private static final long FIRST_POLL_MS = 2;
    private static final long MAX_POLL_MS = 50;

    private final ProcessLauncher launcher;
    private final List<String> env;

    /** {@code env} null: helpers get the agent's environment (tests give a PATH of their own). */
    public HelperRunner(ProcessLauncher launcher, List<String> env) {
        this.launcher = launcher;
        this.env = env;
    }

    /**
     * Runs {@code argv}; a non-zero exit, a signal or a failed start is an error whose text says
     * it failed to {@code action}.
     */
    public void run(List<String> argv, byte[] input, String action) throws QgaException {
        ChildExit exit;
        try {
            exit = await(argv, input);
        } catch (ProcessLauncher.SpawnException e) {
            throw new QgaException("child process has failed to " + action + ": " + e.getMessage());
        }
        String output = new String(exit.out().data(), 0, exit.out().length(), StandardCharsets.UTF_8);
        if (exit.signal() != null) {
            throw new QgaException("child process has terminated abnormally" + (output.isEmpty() ? "" : ": " + output));
        }
        if (exit.exitCode() != 0) {
            throw new QgaException("child process has failed to " + action + ": "
                    + (output.isEmpty() ? "exit status " + exit.exitCode() : output));
        }
    }

    /**
     * The exit status of {@code argv} run with its output thrown away, or -1 when it could not be
     * started or was killed (qemu-ga's "helper not found" case).
     */
    public int status(List<String> argv) {
        try {
            ChildExit exit = await(argv, null);
            return exit.exitCode() == null ? -1 : exit.exitCode();
        } catch (ProcessLauncher.SpawnException e) {
            return -1;
        }
    }

    private ChildExit await(List<String> argv, byte[] input) throws ProcessLauncher.SpawnException {
        ChildProcess child = launcher.spawn(
                new ProcessLauncher.Request(argv, env, input, GuestExecCaptureOutputMode.MERGED, OUTPUT_LIMIT));
        // Helpers are rare and short: polling with a growing pause keeps the launcher's one
        // watcher thread the only thread that knows about children.
        long pause = FIRST_POLL_MS;
        boolean interrupted = false;
        ChildExit exit;
        while ((exit = child.pollExit()) == null) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                interrupted = true; // the helper is waited for all the same, as qemu-ga does
            }
            pause = Math.min(pause * 2, MAX_POLL_MS);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return exit;
    }
}
