package dev.jqga.tests.jmh;

import dev.jqga.protocol.Base64Data;
import dev.jqga.protocol.JsonFramer;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.QgaException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A guest-file-write-sized request through the framer in 64 KiB reads, as the agent loop feeds
 * it: the {@code buf-b64} string of {@code mib} MiB (48 MiB of base64 is about the largest that
 * fits qemu's 64 MiB token limit with room to spare) is lexed, kept as a view on the framer's
 * buffer, and in {@link #frameAndDecode} decoded as guest-file-write decodes it. Run with the
 * launcher's heap, GC and JIT (C1), so it also shows that the heap holds the largest transfer. Divide the
 * size by the score (ms/op) for MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms8m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"})
public class LargeRequestBenchmark {
    private static final int READ = 64 * 1024;

    @Param({"1", "48"})
    public int mib;

    private byte[] request;

    @Setup
    public void setUp() {
        byte[] data = new byte[mib * 1024 * 1024 / 4 * 3];
        new Random(42).nextBytes(data);
        String b64 = Base64.getEncoder().encodeToString(data);
        request = ("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":1000,\"buf-b64\":\"" + b64 + "\"}}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Lexing and parsing only: the base64 text stays a view on the framer's buffer. */
    @Benchmark
    public long frame() {
        return feed(false);
    }

    /** Lexing, parsing and decoding the base64 into the bytes to write. */
    @Benchmark
    public long frameAndDecode() {
        return feed(true);
    }

    private long feed(boolean decode) {
        long[] result = new long[1];
        JsonFramer framer = new JsonFramer(new JsonFramer.Listener() {
            @Override
            public void onMessage(JsonValue message) {
                JsonValue.JsonObject args = (JsonValue.JsonObject) ((JsonValue.JsonObject) message).get("arguments");
                JsonString buf = (JsonString) args.get("buf-b64");
                try {
                    result[0] = decode ? new Base64Data(buf).decode().length : buf.length();
                } catch (QgaException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void onError(String desc) {
                throw new IllegalStateException(desc);
            }
        });
        for (int off = 0; off < request.length; off += READ) {
            framer.feed(request, off, Math.min(READ, request.length - off));
        }
        return result[0];
    }
}
