package dev.jqga.linux.exec;

import com.sun.jna.Pointer;
import dev.jqga.platform.ProcessLauncher.CapturedOutput;
import java.util.Arrays;

/**
 * One captured output stream: the agent's read end of the pipe and the bytes kept so far, at most
 * {@code limit}; what comes after is read and dropped, and marks the stream truncated. The buffer
 * grows as output arrives, so a quiet child costs nothing.
 */
final class Capture {
    private static final int FIRST_BUFFER = 4096;

    final int fd;
    private final int limit;
    private byte[] data = new byte[0];
    private int length;
    private boolean truncated;
    private boolean closed;

    Capture(int fd, int limit) {
        this.fd = fd;
        this.limit = limit;
    }

    /** Keeps {@code src[0..n)} as far as the limit allows. */
    void append(Pointer src, int n) {
        int keep = Math.min(n, limit - length);
        if (keep < n) {
            truncated = true;
        }
        if (keep <= 0) {
            return;
        }
        if (length + keep > data.length) {
            long want = Math.max(FIRST_BUFFER, Math.max(2L * data.length, (long) length + keep));
            data = Arrays.copyOf(data, (int) Math.min(limit, want));
        }
        src.read(0, data, length, keep);
        length += keep;
    }

    void markClosed() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    CapturedOutput result() {
        return new CapturedOutput(data, length, truncated);
    }
}
