package dev.jqga.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where requests come from: a virtio-serial or isa-serial port (one long-lived connection) or a
 * listening socket (one client at a time; the next waits in the backlog).
 */
public interface Channel extends Closeable {

    /**
     * Waits for the next peer. Returns null once the channel has been closed. A serial port
     * returns its single connection, and null after that connection ended.
     */
    Connection accept() throws IOException;
}
