package dev.jqga.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One peer's byte stream. Closing it from another thread wakes a blocked read. */
public interface Connection extends Closeable {

    /**
     * Reads at least one byte, blocking without spinning until there is one. Returns -1 when the
     * peer has gone for good; a virtio-serial port never does, it waits for the host instead.
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}. */
    void write(ByteBuffer src) throws IOException;
}
