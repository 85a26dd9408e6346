package dev.jqga.tests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host's end of the agent's virtio-serial port: QEMU's chardev socket, driven the way
 * libvirt and Proxmox drive it. Every (re)connection starts with 0xFF + guest-sync-delimited and
 * skips whatever comes before the matching reply (the 0xFF itself draws a parse error, and a
 * reply meant for an earlier connection can surface on this one).
 */
final class AgentPort implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private LineSocket line;

    AgentPort(Path socket) {
        this.socket = socket;
    }

    void connect() throws IOException {
        disconnect();
        line = LineSocket.connect(socket);
    }

    void disconnect() throws IOException {
        if (line != null) {
            line.close();
            line = null;
        }
    }

    boolean connected() {
        return line != null;
    }

    /** 0xFF + guest-sync-delimited with this id, as one write. */
    static byte[] syncRequest(long id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xFF);
        b.writeBytes(("{\"execute\": \"guest-sync-delimited\", \"arguments\": {\"id\": " + id + "}}\n")
                .getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    static long newId() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 53);
    }

    /**
     * The first exchange after boot: sends 0xFF + guest-sync-delimited with a fresh id every
     * second until the agent answers the latest one (the earlier tries are queued in QEMU and
     * answered too: their replies are skipped). Returns the number of tries, or throws on timeout.
     */
    int syncUntilAnswered(Duration timeout) throws IOException, CheckFailed {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
            long id = newId();
            send(syncRequest(id));
            if (awaitSyncReply(id, Math.min(deadline, System.nanoTime() + 1_000_000_000L), new ArrayList<>())) {
                return attempt;
            }
        }
        throw new CheckFailed("no guest-sync-delimited reply within " + timeout.toSeconds() + " s");
    }

    /**
     * Resynchronises an established session: one 0xFF + sync, reply within the usual timeout.
     * Returns the lines skipped before the sync reply.
     */
    List<String> sync() throws IOException, CheckFailed {
        long id = newId();
        send(syncRequest(id));
        List<String> skipped = new ArrayList<>();
        if (!awaitSyncReply(id, System.nanoTime() + REPLY_TIMEOUT.toNanos(), skipped)) {
            throw new CheckFailed(
                    "no guest-sync-delimited reply within " + REPLY_TIMEOUT.toSeconds() + " s (got " + skipped + ")");
        }
        return skipped;
    }

    /** Reads lines until 0xFF{"return": id}, the others into skipped; false on the deadline. */
    boolean awaitSyncReply(long id, long deadlineNanos, List<String> skipped) throws IOException {
        while (true) {
            byte[] reply = line.readLine(deadlineNanos);
            if (reply == null) {
                return false;
            }
            String text = new String(reply, StandardCharsets.ISO_8859_1);
            if (text.startsWith("\u00FF")) {
                JsonNode n = parse(text.substring(1));
                if (n != null && n.path("return").asLong() == id) {
                    return true;
                }
            }
            skipped.add(text);
        }
    }

    void send(byte[] bytes) throws IOException {
        if (line == null) {
            throw new IOException("not connected");
        }
        line.write(bytes);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next reply line as text (replies are ASCII; a leading 0xFF shows as \u00FF). */
    String readLine(Duration timeout) throws IOException, CheckFailed {
        String reply = pollLine(timeout);
        if (reply == null) {
            throw new CheckFailed("no reply within " + timeout.toSeconds() + " s");
        }
        return reply;
    }

    /** The next reply line as text, or null when none comes within the timeout. */
    String pollLine(Duration timeout) throws IOException {
        if (line == null) {
            throw new IOException("not connected");
        }
        byte[] reply = line.readLine(timeout);
        return reply == null ? null : new String(reply, StandardCharsets.ISO_8859_1);
    }

    JsonNode readReply() throws IOException, CheckFailed {
        String text = readLine(REPLY_TIMEOUT);
        JsonNode n = parse(text);
        if (n == null) {
            throw new CheckFailed("reply is no JSON: " + text);
        }
        return n;
    }

    /** One request and its reply (return or error). */
    JsonNode call(String command, Map<String, ?> arguments) throws IOException, CheckFailed {
        send(request(command, arguments, null) + "\n");
        return readReply();
    }

    /** One request whose reply must be a success: returns its "return" member. */
    JsonNode ok(String command, Map<String, ?> arguments) throws IOException, CheckFailed {
        JsonNode reply = call(command, arguments);
        if (!reply.has("return")) {
            throw new CheckFailed(command + ": " + reply);
        }
        return reply.get("return");
    }

    JsonNode ok(String command) throws IOException, CheckFailed {
        return ok(command, null);
    }

    /** The text of one request, arguments and id optional. */
    static String request(String command, Map<String, ?> arguments, Object id) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("execute", command);
        if (arguments != null) {
            req.put("arguments", arguments);
        }
        if (id != null) {
            req.put("id", id);
        }
        try {
            return JSON.writeValueAsString(req);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        disconnect();
    }
}
