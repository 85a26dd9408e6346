package dev.jqga.tests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The QMP monitor of the test VM: what QEMU itself saw, the second angle on the agent's port
 * (VSERPORT_CHANGE: the guest opened or closed it) and on power-off (SHUTDOWN with its reason).
 * A reader thread keeps every event with the time it arrived; replies to commands go to a queue.
 */
final class QmpMonitor implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One QMP event and when the host received it ({@link System#nanoTime()}). */
    record Event(String name, JsonNode data, long receivedNanos) {}

    private final LineSocket socket;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closing;

    private QmpMonitor(LineSocket socket) {
        this.socket = socket;
        this.reader = new Thread(this::readLoop, "qmp-reader");
        reader.setDaemon(true);
    }

    /** Connects, reads the greeting and leaves capabilities negotiation (events flow after it). */
    static QmpMonitor connect(Path path) throws IOException {
        LineSocket s = LineSocket.connect(path);
        byte[] greeting = s.readLine(Duration.ofSeconds(30));
        if (greeting == null || !new String(greeting, StandardCharsets.UTF_8).contains("\"QMP\"")) {
            s.close();
            throw new IOException("no QMP greeting");
        }
        QmpMonitor qmp = new QmpMonitor(s);
        qmp.reader.start();
        qmp.execute("qmp_capabilities", Duration.ofSeconds(30));
        return qmp;
    }

    private void readLoop() {
        try {
            while (!closing) {
                byte[] line = socket.readLine(Duration.ofSeconds(1));
                if (line == null) {
                    continue;
                }
                JsonNode msg = JSON.readTree(line);
                if (msg.has("event")) {
                    events.add(new Event(msg.get("event").asText(), msg.path("data"), System.nanoTime()));
                } else {
                    replies.add(msg);
                }
            }
        } catch (IOException | RuntimeException e) {
            // QEMU exited or we closed: the events so far stay readable
        }
    }

    /** Runs a QMP command; returns its "return" member, or throws with QEMU's error. */
    JsonNode execute(String command, Duration timeout) throws IOException {
        socket.write(("{\"execute\": \"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
        try {
            JsonNode reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new IOException("QMP " + command + ": no reply within " + timeout);
            }
            if (reply.has("error")) {
                throw new IOException("QMP " + command + ": " + reply.get("error"));
            }
            return reply.path("return");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The first event so far that matches, waiting up to the timeout for it. */
    Optional<Event> awaitEvent(String name, Predicate<JsonNode> data, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (e.name().equals(name) && data.test(e.data())) {
                    return Optional.of(e);
                }
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            GuestVm.sleep(50);
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
    }
}
