package dev.jqga.linux.transport;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Moving bytes between the agent's heap buffers and the native memory read(2)/write(2) use. */
final class Buffers {
    private Buffers() {}

    /** Copies the first {@code n} bytes of {@code from} into {@code dst}. */
    static void copy(Memory from, int n, ByteBuffer dst) {
        if (dst.hasArray()) {
            from.read(0, dst.array(), dst.arrayOffset() + dst.position(), n);
            dst.position(dst.position() + n);
        } else {
            dst.put(from.getByteBuffer(0, n));
        }
    }

    /** Writes all of {@code src} to {@code fd} through {@code scratch}; returns the scratch to keep (grown if needed). */
    static Memory writeAll(PollableFd fd, ByteBuffer src, Memory scratch) throws IOException {
        int len = src.remaining();
        Memory m = scratch.size() >= len ? scratch : new Memory(Math.max(len, scratch.size() * 2));
        m.getByteBuffer(0, len).put(src);
        fd.writeAll(m, len);
        return m.size() > 1 << 20 ? new Memory(4096) : m;
    }
}
