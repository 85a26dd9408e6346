package dev.jqga.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The two line layouts qemu-ga's log has, byte for byte up to the clock. */
class LogTest {
    @Test
    void logLinesAreSecondsMicrosecondsLevelAndMessage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        log.log(Log.Level.DEBUG, "read data, count: 25");
        log.error("x");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).matches("\\d{10,}\\.\\d{6}: debug: read data, count: 25");
        assertThat(lines[1]).matches("\\d{10,}\\.\\d{6}: error: x");
    }

    @Test
    void earlyLinesHaveGlibsLayout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Log.early(new PrintStream(bytes, true, StandardCharsets.UTF_8), Log.Level.CRITICAL, "bad");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .matches("\\*\\* \\(process:\\d+\\): CRITICAL \\*\\*: \\d{2}:\\d{2}:\\d{2}\\.\\d{3}: bad\n");
    }

    @Test
    void zeroPadding() {
        assertThat(Log.zeroPadded(0, 6)).isEqualTo("000000");
        assertThat(Log.zeroPadded(1234, 6)).isEqualTo("001234");
        assertThat(Log.zeroPadded(999999, 6)).isEqualTo("999999");
        assertThat(Log.zeroPadded(7, 2)).isEqualTo("07");
        assertThat(Log.zeroPadded(123, 2)).isEqualTo("123");
    }
}
