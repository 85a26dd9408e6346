package dev.jqga.server;

import dev.jqga.dispatch.Dispatcher;
import dev.jqga.log.Log;
import dev.jqga.protocol.JsonFramer;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.QgaException;
import dev.jqga.transport.Channel;
import dev.jqga.transport.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The agent's one request loop: take the next peer, read its bytes into the framer, dispatch each
 * complete request in order, write the replies. One thread, one request at a time, as qemu-ga.
 * The framer outlives connections: a partial request from one client is completed by the next,
 * which is why hosts send 0xFF before guest-sync-delimited.
 */
public final class AgentLoop implements JsonFramer.Listener {
    /** Commands cheap enough that replies queued before them need not be flushed first. */
    private static final Set<String> QUICK =
            Set.of("guest-sync", "guest-sync-delimited", "guest-ping", "guest-info", "guest-get-time");

    private static final int READ_SIZE = 64 * 1024;

    /**
     * Committed heap above which the loop collects once it is between messages: a large
     * guest-file-write/read leaves the heap grown by up to ~150 MiB, and the serial collector
     * only gives that back to the OS after a full collection, which an idle agent never makes.
     */
    private static final long TRIM_HEAP_ABOVE = 48L << 20;

    private final Channel channel;
    private final Dispatcher dispatcher;
    private final ResponseWriter writer;
    private final Log log;
    private final JsonFramer framer = new JsonFramer(this);
    private long trimAbove = TRIM_HEAP_ABOVE;
    private volatile boolean stopping;
    private volatile Connection current;

    public AgentLoop(Channel channel, Dispatcher dispatcher, ResponseWriter writer, Log log) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.writer = writer;
        this.log = log;
    }

    /**
     * Serves peers until the channel closes, {@link #stop()} is called, or a read fails. Returns
     * normally in the first two cases; a read error is thrown (the caller may retry the path).
     */
    public void run() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(READ_SIZE);
        while (!stopping) {
            Connection c = channel.accept();
            if (c == null) {
                return;
            }
            current = c;
            writer.attach(c);
            try (c) {
                serve(c, buf);
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                throw e;
            } finally {
                current = null;
            }
        }
    }

    private void serve(Connection c, ByteBuffer buf) throws IOException {
        while (!stopping) {
            buf.clear();
            int n = c.read(buf);
            if (n < 0) {
                log.debug("received EOF");
                return;
            }
            if (log.verbose()) {
                log.debug("read data, count: " + n);
            }
            framer.feed(buf.array(), 0, n);
            writer.flush();
            if (framer.betweenMessages()
                    && !writer.holdsLargePayload()
                    && Runtime.getRuntime().totalMemory() > trimAbove) {
                System.gc();
                // if much stays live (exec output, say), wait until the heap has doubled again
                trimAbove = Math.max(TRIM_HEAP_ABOVE, 2 * Runtime.getRuntime().totalMemory());
            }
        }
    }

    /** Asks the loop to end after the request in hand; wakes a blocked read or accept. */
    public void stop() {
        stopping = true;
        try {
            Connection c = current;
            if (c != null) {
                c.close();
            }
            channel.close();
        } catch (IOException e) {
            log.debug("closing channel: " + e.getMessage());
        }
    }

    public boolean stopping() {
        return stopping;
    }

    @Override
    public void onMessage(JsonValue message) {
        if (writer.hasPending() && !QUICK.contains(commandName(message))) {
            writer.flush();
        }
        writer.write(dispatcher.dispatch(message));
    }

    @Override
    public void onError(String desc) {
        writer.writeError(new QgaException(desc), null);
    }

    private static String commandName(JsonValue message) {
        if (message instanceof JsonValue.JsonObject o && o.get("execute") instanceof JsonString s) {
            return s.value();
        }
        return "";
    }
}
