package dev.jqga.linux.transport;

import sun.misc.Signal;

/**
 * SIGIO, as a counter threads can wait on. A descriptor with O_ASYNC and this process as owner
 * makes the kernel send SIGIO when it becomes readable; for a virtio-serial port also when the
 * host connects. The JVM runs the handler on its signal thread, which bumps the counter. The
 * handler is installed before any descriptor is armed: SIGIO's default action kills the process.
 */
final class AsyncIoSignal {
    private static final Object LOCK = new Object();
    private static long generation;
    private static boolean installed;

    private AsyncIoSignal() {}

    /** Installs the handler (once); false when the JVM does not let us handle SIGIO. */
    static boolean install() {
        synchronized (LOCK) {
            if (!installed) {
                try {
                    Signal.handle(new Signal("IO"), sig -> poke());
                    installed = true;
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The current count; pass it to {@link #awaitAfter} to wait for the next signal. */
    static long generation() {
        synchronized (LOCK) {
            return generation;
        }
    }

    /** Counts a signal (or a wake-up from a closing channel) and wakes every waiter. */
    static void poke() {
        synchronized (LOCK) {
            generation++;
            LOCK.notifyAll();
        }
    }

    /** Waits until the count moved past {@code seen}, or {@code millis} passed. */
    static void awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (LOCK) {
            long left;
            while (generation == seen && (left = deadline - System.nanoTime()) > 0) {
                LOCK.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }
}
