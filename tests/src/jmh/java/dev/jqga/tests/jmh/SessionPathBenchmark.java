package dev.jqga.tests.jmh;

import dev.jqga.protocol.JsonFramer;
import dev.jqga.protocol.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Requests per second through the in-process request path (framer, parser, dispatcher, session
 * commands, reply writer), with the launcher's heap, GC and JIT (C1). Each invocation is one connection
 * carrying {@value #BATCH} pipelined requests, so the scores are requests per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms8m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"})
public class SessionPathBenchmark {
    static final int BATCH = 1000;

    private InMemoryAgent agent;
    private byte[] syncStream;
    private byte[] delimitedStream;
    private byte[] infoStream;
    private byte[] errorStream;

    @Setup
    public void setUp() {
        agent = new InMemoryAgent();
        syncStream = repeat(i -> "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":" + i + "}}\n");
        delimitedStream = repeat(i -> "\u00ff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + i + "}}");
        infoStream = repeat(i -> "{\"execute\":\"guest-info\"}");
        errorStream = repeat(i -> "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"x\"},\"id\":" + i + "}");
    }

    private static byte[] repeat(java.util.function.IntFunction<String> request) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            sb.append(request.apply(i));
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** guest-sync with an id: the most common request, and what hosts pipeline. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long guestSync() throws IOException {
        return agent.serve(syncStream);
    }

    /** 0xFF (a parse error reply) then guest-sync-delimited (a 0xFF-prefixed reply). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long guestSyncDelimited() throws IOException {
        return agent.serve(delimitedStream);
    }

    /** guest-info: the largest session reply (44 commands), so mostly reply serialisation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long guestInfo() throws IOException {
        return agent.serve(infoStream);
    }

    /** An argument type error: the error path with its message and the echoed id. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long argumentError() throws IOException {
        return agent.serve(errorStream);
    }

    /** The framer and parser alone on the guest-sync stream (no dispatch, no reply). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void framerOnly(Blackhole bh) {
        JsonFramer framer = new JsonFramer(new JsonFramer.Listener() {
            @Override
            public void onMessage(JsonValue message) {
                bh.consume(message);
            }

            @Override
            public void onError(String desc) {
                bh.consume(desc);
            }
        });
        for (int off = 0; off < syncStream.length; off += 64 * 1024) {
            framer.feed(syncStream, off, Math.min(64 * 1024, syncStream.length - off));
        }
    }
}
