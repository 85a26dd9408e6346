package dev.jqga.linux.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.linux.jna.LibC;
import dev.jqga.transport.Connection;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-serial reader's host-absent wait, on a FIFO standing in for the port: with no
 * writer a FIFO's read side answers EOF and POLLHUP at once, exactly as a virtio port without a
 * host does, and it sends SIGIO to its O_ASYNC owner when a new writer's data arrives. (The FIFO
 * is opened read-only: opened read/write, as the agent opens a real port, it would be its own
 * writer and never report EOF. The real-guest suite covers the real port.) Measured and printed:
 * the reader's wake-ups and CPU time while no host is there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtioPortChannelTest {
    @TempDir
    Path dir;

    @Test
    void waitsForTheHostWithoutSpinningAndWakesOnSigio() throws Exception {
        Path fifo = dir.resolve("port");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        int fd = LibC.INSTANCE.open(fifo.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        VirtioPortChannel channel = new VirtioPortChannel(new PollableFd(fd), AsyncIoSignal.install());
        Connection port = channel.accept();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        long[] readerTid = new long[1];
        Thread reader = new Thread(() -> {
            readerTid[0] = Thread.currentThread().getId();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (true) {
                    buf.clear();
                    int n = port.read(buf);
                    if (n < 0) {
                        return;
                    }
                    received.add(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
                }
            } catch (Exception e) {
                received.add("error: " + e);
            }
        });
        reader.start();
        try {
            write(fifo, "hello"); // a host comes, sends, and leaves
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Thread.sleep(500); // past the first quick retries
            long checks0 = channel.hostChecks;
            long cpu0 = threads.getThreadCpuTime(readerTid[0]);
            Thread.sleep(4000);
            long checks = channel.hostChecks - checks0;
            long cpuMicros = (threads.getThreadCpuTime(readerTid[0]) - cpu0) / 1000;
            System.out.printf(
                    "virtio host absent for 4 s: %d reader wake-ups, %d us reader CPU (qemu-ga polls 40 times)%n",
                    checks, cpuMicros);
            assertThat(checks).as("back-off, not a 100 ms poll").isLessThan(10);

            long signals = AsyncIoSignal.generation();
            write(fifo, "again"); // the next host: its data raises SIGIO, which wakes the reader
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("again");
            assertThat(AsyncIoSignal.generation()).as("woken by SIGIO").isGreaterThan(signals);
        } finally {
            channel.close();
            reader.join(10_000);
        }
        assertThat(reader.isAlive()).as("close() ends the wait").isFalse();
    }

    private static void write(Path fifo, String s) throws Exception {
        try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
