package dev.jqga.tests.bench;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Throughput of guest-file-read, guest-file-write and guest-exec, jqga beside qemu-ga, and jqga's
 * peak RSS during a 48 MiB read. Not a test (nothing is asserted, it is not run by {@code mvn
 * verify}: surefire only picks up {@code *Test} classes); run it on a quiet machine with
 *
 * <pre>
 * mvn -B -ntp verify -pl tests -am -Dtest=FileExecBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.rounds=3] [-Dbench.agents=JQGA,QEMU_GA]
 * </pre>
 *
 * <p>48 MiB of random data are moved in 1, 4, 16 and 48 MiB requests; each figure is the best of
 * {@code bench.rounds} (default 3) runs after one warm-up pass over every size (a guest agent is
 * a long-running process; jqga's JIT is warm in real use), in MB/s (10^6 bytes per second), including the host side's work of
 * sending and receiving (not decoding) the base64. A single guest-file-write cannot carry a full
 * 48 MiB (QEMU's 64 MiB JSON message limit includes the rest of the request), so the "48" write
 * column sends the largest payload that fits and the few remaining bytes in a second request. The
 * exec figure is the time from sending guest-exec of a command printing 10 MiB to the
 * guest-exec-status reply that carries its output (status polled back to back).
 *
 * <p>The client is its own minimal one (a direct buffer and a byte scan for the newline): the
 * harness client reads through an InputStream, which would measure itself.
 */
public final class FileExecBenchmark {
    private static final int MIB = 1 << 20;
    private static final int TOTAL = 48 * MIB;
    private static final int[] CHUNKS_MIB = {1, 4, 16, 48};
    /** The largest guest-file-write payload that fits QEMU's 64 MiB message limit, a multiple of 3. */
    private static final int MAX_WRITE = (64 * MIB - 1024) / 4 * 3;

    private static final Pattern COUNT = Pattern.compile("\"count\": (\\d+)");

    @Test
    void measure() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("bench.rounds", 3);
        byte[] data = new byte[TOTAL];
        new Random(42).nextBytes(data);
        List<String> report = new ArrayList<>();
        report.add(
                String.format("%-8s %-26s %10s %10s %10s %10s", "agent", "what", "1 MiB", "4 MiB", "16 MiB", "48 MiB"));
        for (String name : System.getProperty("bench.agents", "JQGA,QEMU_GA").split(",")) {
            AgentKind kind = AgentKind.valueOf(name.trim());
            try (AgentProcess agent = AgentProcess.start(kind)) {
                Path big = agent.dir().resolve("big");
                Files.write(big, data);
                double[] read = new double[CHUNKS_MIB.length];
                double[] write = new double[CHUNKS_MIB.length];
                try (FastClient c = FastClient.connect(agent.socket())) {
                    for (int chunkMiB : CHUNKS_MIB) { // a long-running agent is a warm JVM
                        chunkRead(c, chunkMiB * MIB, data).seconds();
                        chunkWrite(c, agent.dir(), chunkMiB * MIB, data).seconds();
                    }
                    for (int i = 0; i < CHUNKS_MIB.length; i++) {
                        read[i] = best(rounds, chunkRead(c, CHUNKS_MIB[i] * MIB, data));
                        write[i] = best(rounds, chunkWrite(c, agent.dir(), CHUNKS_MIB[i] * MIB, data));
                    }
                    double exec = bestSeconds(rounds, () -> execTenMiB(c));
                    report.add(row(kind, "guest-file-read MB/s", read));
                    report.add(row(kind, "guest-file-write MB/s", write));
                    report.add(String.format(
                            "%-8s %-26s %10.1f ms (%.0f MB/s)",
                            kind, "exec printing 10 MiB", exec * 1000, 10 * MIB / exec / 1e6));
                }
            }
            report.add(String.format("%-8s %-26s %10.1f MiB", kind, "peak RSS, one 48 MiB read", peakRssOfRead(kind)));
        }
        System.out.println();
        report.forEach(System.out::println);
    }

    private static String row(AgentKind kind, String what, double[] v) {
        return String.format("%-8s %-26s %10.1f %10.1f %10.1f %10.1f", kind, what, v[0], v[1], v[2], v[3]);
    }

    /** One timed run; returns seconds. */
    private interface Run {
        double seconds() throws Exception;
    }

    private static double best(int rounds, Run run) throws Exception {
        return TOTAL / bestSeconds(rounds, run) / 1e6;
    }

    private static double bestSeconds(int rounds, Run run) throws Exception {
        run.seconds(); // warm-up
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, run.seconds());
        }
        return best;
    }

    /** Reads the 48 MiB file in {@code chunk}-byte requests; checks the data after the clock stops. */
    private static Run chunkRead(FastClient c, int chunk, byte[] expected) {
        return () -> {
            long handle = c.callLong("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"big\"}}");
            byte[] req = ("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle + ",\"count\":" + chunk
                            + "}}")
                    .getBytes(StandardCharsets.US_ASCII);
            List<byte[]> replies = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int got = 0; got < TOTAL; got += chunk) {
                c.send(req);
                replies.add(c.readLine());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] r : replies) {
                md.update(payload(r));
            }
            check(
                    Arrays.equals(
                            md.digest(), MessageDigest.getInstance("SHA-256").digest(expected)),
                    "read data");
            return s;
        };
    }

    /** Writes 48 MiB in {@code chunk}-byte requests (prepared before the clock starts); checks the file. */
    private static Run chunkWrite(FastClient c, Path dir, int chunk, byte[] data) {
        return () -> {
            long handle =
                    c.callLong("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"out\",\"mode\":\"w\"}}");
            int step = Math.min(chunk, MAX_WRITE);
            List<byte[]> requests = new ArrayList<>();
            for (int off = 0; off < TOTAL; off += step) {
                int len = Math.min(step, TOTAL - off);
                String b64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, off, off + len));
                requests.add(("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + handle
                                + ",\"buf-b64\":\"" + b64 + "\"}}")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            long t0 = System.nanoTime();
            long written = 0;
            for (byte[] r : requests) {
                c.send(r);
                written += count(c.readLine());
            }
            c.call("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
            double s = (System.nanoTime() - t0) / 1e9;
            check(written == TOTAL && Arrays.equals(Files.readAllBytes(dir.resolve("out")), data), "written file");
            return s;
        };
    }

    private static double execTenMiB(FastClient c) throws IOException {
        long t0 = System.nanoTime();
        long pid = c.callLong("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"head\",\"arg\":[\"-c\",\""
                + (10 * MIB) + "\",\"/dev/zero\"],\"capture-output\":true}}");
        String text;
        do {
            c.send(("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                    .getBytes(StandardCharsets.US_ASCII));
            text = new String(c.readLine(), StandardCharsets.US_ASCII);
            check(text.startsWith("{\"return\""), text);
        } while (!text.contains("\"exited\": true"));
        double s = (System.nanoTime() - t0) / 1e9;
        Matcher m = Pattern.compile("\"out-data\": \"([^\"]*)\"").matcher(text);
        check(m.find() && Base64.getDecoder().decode(m.group(1)).length == 10 * MIB, "exec output");
        return s;
    }

    /** VmHWM of a fresh agent after one 48 MiB read, in MiB. */
    private static double peakRssOfRead(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind)) {
            Files.write(agent.dir().resolve("big"), new byte[TOTAL]);
            try (FastClient c = FastClient.connect(agent.socket())) {
                long h = c.callLong("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"big\"}}");
                byte[] r = c.call("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + h + ",\"count\":"
                        + TOTAL + "}}");
                check(count(r) == TOTAL, "48 MiB read");
            }
            for (String line : Files.readAllLines(Path.of("/proc/" + agent.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("no VmHWM");
        }
    }

    private static long count(byte[] reply) {
        Matcher m = COUNT.matcher(new String(reply, 0, Math.min(reply.length, 64), StandardCharsets.US_ASCII));
        check(m.find(), "count in " + new String(reply, 0, Math.min(reply.length, 200), StandardCharsets.US_ASCII));
        return Long.parseLong(m.group(1));
    }

    /** The decoded buf-b64 of a guest-file-read reply. */
    private static byte[] payload(byte[] reply) {
        String text = new String(reply, StandardCharsets.US_ASCII);
        int start = text.indexOf("\"buf-b64\": \"") + 12;
        return Base64.getDecoder().decode(text.substring(start, text.indexOf('"', start)));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }

    /** A host that reads reply lines in large blocks. */
    private static final class FastClient implements AutoCloseable {
        private final SocketChannel socket;
        private byte[] line = new byte[1 << 20];
        private int lineStart;
        private int lineEnd;

        private FastClient(SocketChannel socket) {
            this.socket = socket;
        }

        static FastClient connect(Path path) throws IOException {
            SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
            s.connect(UnixDomainSocketAddress.of(path));
            return new FastClient(s);
        }

        void send(byte[] request) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                socket.write(b);
            }
        }

        /** Reads straight into the line buffer and scans only the new bytes for the newline. */
        byte[] readLine() throws IOException {
            if (lineStart > 0) {
                System.arraycopy(line, lineStart, line, 0, lineEnd - lineStart);
                lineEnd -= lineStart;
                lineStart = 0;
            }
            int scanned = 0;
            while (true) {
                for (int i = scanned; i < lineEnd; i++) {
                    if (line[i] == '\n') {
                        lineStart = i + 1;
                        return Arrays.copyOf(line, i);
                    }
                }
                scanned = lineEnd;
                if (lineEnd == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                int n = socket.read(ByteBuffer.wrap(line, lineEnd, line.length - lineEnd));
                if (n < 0) {
                    throw new IOException("agent closed the connection");
                }
                lineEnd += n;
            }
        }

        byte[] call(String request) throws IOException {
            send(request.getBytes(StandardCharsets.UTF_8));
            return readLine();
        }

        long callLong(String request) throws IOException {
            String reply = new String(call(request), StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("\"(?:return|pid)\": (\\d+)").matcher(reply);
            check(m.find(), reply);
            return Long.parseLong(m.group(1));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
