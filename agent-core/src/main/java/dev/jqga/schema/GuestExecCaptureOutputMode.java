package dev.jqga.schema;

/** Which output streams of a guest-exec child are captured. */
public enum GuestExecCaptureOutputMode {
    /** stdout and stderr go to /dev/null. */
    NONE,
    /** stdout is captured, stderr goes to /dev/null. */
    STDOUT,
    /** stderr is captured, stdout goes to /dev/null. */
    STDERR,
    /** both are captured, into out-data and err-data. */
    SEPARATED,
    /** stderr is the same pipe as stdout; everything lands in out-data. */
    MERGED;

    public boolean capturesStdout() {
        return this == STDOUT || this == SEPARATED || this == MERGED;
    }

    public boolean capturesStderr() {
        return this == STDERR || this == SEPARATED;
    }
}
