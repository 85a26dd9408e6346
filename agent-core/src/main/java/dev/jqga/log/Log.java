package dev.jqga.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalTime;

/**
 * The agent's log, in qemu-ga 10's line format {@code <seconds>.<microseconds>: <level>: <msg>}.
 * Default: error and critical only; {@code -v}: everything. Logging can be suspended while
 * filesystems are frozen (nothing may be written then).
 */
public final class Log {
    public enum Level {
        ERROR("error"),
        CRITICAL("critical"),
        WARNING("warning"),
        MESSAGE("message"),
        INFO("info"),
        DEBUG("debug");

        final String text;

        Level(String text) {
            this.text = text;
        }
    }

    private volatile PrintStream out;
    private volatile boolean verbose;
    private volatile boolean suspended;

    public Log(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** A log file opened for appending (created if missing), flushed per line. */
    public static PrintStream appendTo(java.nio.file.Path file) throws java.io.IOException {
        return new PrintStream(
                java.nio.file.Files.newOutputStream(
                        file,
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND,
                        java.nio.file.StandardOpenOption.WRITE),
                true,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public void redirect(PrintStream out) {
        this.out = out;
    }

    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    public boolean verbose() {
        return verbose;
    }

    /** While true nothing is written (frozen filesystems). */
    public void setSuspended(boolean suspended) {
        this.suspended = suspended;
    }

    public boolean enabled(Level level) {
        return !suspended && (verbose || level == Level.ERROR || level == Level.CRITICAL);
    }

    public void log(Level level, String msg) {
        if (!enabled(level)) {
            return;
        }
        Instant now = Instant.now();
        String line = now.getEpochSecond() + "." + zeroPadded(now.getNano() / 1000, 6) + ": " + level.text + ": " + msg;
        PrintStream o = out;
        synchronized (o) {
            o.println(line);
            o.flush();
        }
    }

    /**
     * A message from before the log is set up (bad options or config, the frozen-marker warning),
     * in GLib's default format as qemu-ga prints them:
     * {@code ** (process:<pid>): CRITICAL **: <hh:mm:ss.mmm>: <msg>}.
     */
    public static void early(PrintStream err, Level level, String msg) {
        LocalTime t = LocalTime.now();
        String time = zeroPadded(t.getHour(), 2) + ":" + zeroPadded(t.getMinute(), 2) + ":"
                + zeroPadded(t.getSecond(), 2) + "." + zeroPadded(t.getNano() / 1_000_000, 3);
        err.println("** (process:" + ProcessHandle.current().pid() + "): "
                + level.text.toUpperCase(java.util.Locale.ROOT) + " **: " + time + ": " + msg);
        err.flush();
    }

    /**
     * {@code n} in {@code width} digits. Not String.format or a DateTimeFormatter: the first use
     * of either loads the JDK's formatter and locale data, 46 ms on the way to the first log line.
     */
    static String zeroPadded(long n, int width) {
        String digits = Long.toString(n);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    public void error(String msg) {
        log(Level.ERROR, msg);
    }

    public void critical(String msg) {
        log(Level.CRITICAL, msg);
    }

    public void warn(String msg) {
        log(Level.WARNING, msg);
    }

    public void info(String msg) {
        log(Level.INFO, msg);
    }

    public void debug(String msg) {
        log(Level.DEBUG, msg);
    }
}
