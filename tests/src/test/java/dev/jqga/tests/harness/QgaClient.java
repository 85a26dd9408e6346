package dev.jqga.tests.harness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A host's side of the conversation, over a unix socket: raw bytes out, reply lines in (exact
 * bytes kept, so tests can compare them with qemu-ga's), and the 0xFF + guest-sync-delimited
 * handshake hosts use.
 */
public final class QgaClient implements AutoCloseable {
    /** Replies may carry 64 MiB strings (guest-file-read, guest-exec-status): no length limit. */
    public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build());

    private final SocketChannel socket;
    private final InputStream in;
    private final OutputStream out;

    private QgaClient(SocketChannel socket) {
        this.socket = socket;
        this.in = new BufferedInputStream(Channels.newInputStream(socket), 1 << 16);
        this.out = Channels.newOutputStream(socket);
    }

    public static QgaClient connect(Path path) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(path));
        return new QgaClient(s);
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One reply line without its newline, as raw bytes (a leading 0xFF stays). Blocks. */
    public byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toByteArray();
            }
            line.write(b);
        }
        throw new IOException(
                "connection closed after " + line.size() + " bytes: " + line.toString(StandardCharsets.UTF_8));
    }

    /** One reply line as text (ASCII: qemu-ga escapes everything else). */
    public String readLine() throws IOException {
        return new String(readLineBytes(), StandardCharsets.ISO_8859_1);
    }

    public JsonNode readReply() throws IOException {
        return JSON.readTree(readLine());
    }

    /** Sends one request and reads one reply line. */
    public String call(String request) throws IOException {
        send(request);
        return readLine();
    }

    public JsonNode execute(String command) throws IOException {
        return JSON.readTree(call("{\"execute\": \"" + command + "\"}"));
    }

    public JsonNode execute(String command, String argumentsJson) throws IOException {
        return JSON.readTree(call("{\"execute\": \"" + command + "\", \"arguments\": " + argumentsJson + "}"));
    }

    /**
     * 0xFF then guest-sync-delimited with a random id; skips everything up to the 0xFF that
     * starts the matching reply. Returns the id.
     */
    public long sync() throws IOException {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        byte[] req = ("{\"execute\": \"guest-sync-delimited\", \"arguments\": {\"id\": " + id + "}}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[req.length + 1];
        all[0] = (byte) 0xFF;
        System.arraycopy(req, 0, all, 1, req.length);
        send(all);
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed during sync");
            }
            if (b != 0xFF) {
                continue;
            }
            JsonNode reply = JSON.readTree(readLine());
            if (reply.path("return").asLong() == id) {
                return id;
            }
        }
    }

    /** The next {@code n} reply lines (raw bytes read as ISO-8859-1, so a 0xFF prefix shows as \u00FF). */
    public java.util.List<String> readLines(int n) throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readLine());
        }
        return out;
    }

    /**
     * Proves nothing else is pending: sends 0xFF and a guest-sync, and expects exactly the parse
     * error for the 0xFF (which also ends any partial request a test left behind) and then the
     * sync's reply. Returns the lines read before the sync reply, for the failure message.
     */
    public java.util.List<String> fence() throws IOException {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        byte[] req =
                ("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + id + "}}").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[req.length + 1];
        all[0] = (byte) 0xFF;
        System.arraycopy(req, 0, all, 1, req.length);
        send(all);
        java.util.List<String> before = new java.util.ArrayList<>();
        String expected = "{\"return\": " + id + "}";
        while (true) {
            String line = readLine();
            if (line.equals(expected)) {
                if (before.size() != 1
                        || !before.get(0)
                                .startsWith(
                                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray")) {
                    throw new IOException("unexpected replies before the fence: " + before);
                }
                return before;
            }
            before.add(line);
            if (before.size() > 4) {
                throw new IOException("no fence reply; got " + before);
            }
        }
    }

    /** Half-close: the agent sees EOF after the bytes sent. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
