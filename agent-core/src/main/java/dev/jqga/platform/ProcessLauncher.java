package dev.jqga.platform;

import dev.jqga.schema.GuestExecCaptureOutputMode;
import java.util.List;

/**
 * The process-spawn capability behind guest-exec: starts a child with its stdio wired as asked,
 * feeds its stdin, captures its output, reaps it, and reports exactly how it ended (exit code or
 * signal). Children never inherit the agent's own file descriptors and never stay zombies.
 */
public interface ProcessLauncher {

    /**
     * What to run. {@code env} null keeps the agent's environment, otherwise it is the whole
     * environment and its PATH (else the agent's) is searched for a bare program name. {@code
     * input} null gives the child /dev/null as stdin, otherwise a pipe fed with these bytes and
     * then closed. Each captured stream keeps at most {@code captureLimit} bytes.
     */
    record Request(
            List<String> argv, List<String> env, byte[] input, GuestExecCaptureOutputMode capture, int captureLimit) {}

    /** Starts the child; the message of the exception is the text qemu-ga (GLib) reports. */
    ChildProcess spawn(Request request) throws SpawnException;

    /** A child that could not be started. */
    final class SpawnException extends Exception {
        public SpawnException(String message) {
            super(message, null, false, false);
        }
    }

    /** A running or finished child. */
    interface ChildProcess {
        long pid();

        /**
         * How the child ended, once it was reaped and every captured stream reached end of file
         * (a grandchild holding the pipe keeps it "running"); null before that.
         */
        ChildExit pollExit();
    }

    /** Captured bytes {@code data[0..length)} and whether more was produced than kept. */
    record CapturedOutput(byte[] data, int length, boolean truncated) {
        public static final CapturedOutput NONE = new CapturedOutput(new byte[0], 0, false);
    }

    /** Exactly one of {@code exitCode} (normal exit) and {@code signal} (killed) is set. */
    record ChildExit(Integer exitCode, Integer signal, CapturedOutput out, CapturedOutput err) {}
}
