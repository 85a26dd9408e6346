package dev.jqga.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.JsonValue.JsonBool;
import dev.jqga.protocol.JsonValue.JsonNumber;
import dev.jqga.protocol.QgaException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two alternates of the file and exec commands, bound as QEMU's input visitor does. */
class AlternatesTest {

    @Test
    void whenceTakesTheSymbolicNames() throws QgaException {
        assertThat(whence(JsonString.of("set")).resolve()).isEqualTo(QGASeek.SET);
        assertThat(whence(JsonString.of("cur")).resolve()).isEqualTo(QGASeek.CUR);
        assertThat(whence(JsonString.of("end")).resolve()).isEqualTo(QGASeek.END);
    }

    @Test
    void whenceTakesTheHistoricNumbers() throws QgaException {
        assertThat(whence(JsonNumber.ofLong(0)).resolve()).isEqualTo(QGASeek.SET);
        assertThat(whence(JsonNumber.ofLong(1)).resolve()).isEqualTo(QGASeek.CUR);
        assertThat(whence(JsonNumber.ofLong(2)).resolve()).isEqualTo(QGASeek.END);
    }

    @Test
    void otherNumbersFailOnlyWhenUsedWithQemuText() throws QgaException {
        GuestFileWhence three = whence(JsonNumber.ofLong(3));
        assertThatThrownBy(three::resolve).hasMessage("invalid whence code 3");
        assertThatThrownBy(whence(JsonNumber.ofLong(-1))::resolve).hasMessage("invalid whence code -1");
    }

    @Test
    void aFloatWhenceTakesTheIntegerBranch() {
        assertThatThrownBy(() -> whence(JsonNumber.ofDouble(1.5)))
                .hasMessage("Invalid parameter type for 'whence', expected: integer");
    }

    @Test
    void anUnknownWhenceNameIsRefusedByName() {
        assertThatThrownBy(() -> whence(JsonString.of("bogus")))
                .hasMessage("Parameter 'whence' does not accept value 'bogus'");
    }

    @Test
    void otherJsonTypesAreNotAWhence() {
        assertThatThrownBy(() -> whence(JsonBool.TRUE))
                .hasMessage("Invalid parameter type for 'whence', expected: GuestFileWhence");
        assertThatThrownBy(() -> whence(new JsonValue.JsonArray(List.of())))
                .hasMessage("Invalid parameter type for 'whence', expected: GuestFileWhence");
    }

    @Test
    void captureOutputBooleanIsSeparatedOrNone() throws QgaException {
        assertThat(capture(JsonBool.TRUE).mode()).isEqualTo(GuestExecCaptureOutputMode.SEPARATED);
        assertThat(capture(JsonBool.FALSE).mode()).isEqualTo(GuestExecCaptureOutputMode.NONE);
    }

    @Test
    void captureOutputTakesEveryMode() throws QgaException {
        for (GuestExecCaptureOutputMode m : GuestExecCaptureOutputMode.values()) {
            assertThat(capture(JsonString.of(m.name().toLowerCase())).mode()).isEqualTo(m);
        }
    }

    @Test
    void captureOutputRefusesOthersWithQemuTexts() {
        assertThatThrownBy(() -> capture(JsonString.of("all")))
                .hasMessage("Parameter 'capture-output' does not accept value 'all'");
        assertThatThrownBy(() -> capture(JsonNumber.ofLong(1)))
                .hasMessage("Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
    }

    @Test
    void modesSayWhichStreamsArePiped() {
        assertThat(GuestExecCaptureOutputMode.MERGED.capturesStdout()).isTrue();
        assertThat(GuestExecCaptureOutputMode.MERGED.capturesStderr()).isFalse();
        assertThat(GuestExecCaptureOutputMode.STDERR.capturesStdout()).isFalse();
        assertThat(GuestExecCaptureOutputMode.STDERR.capturesStderr()).isTrue();
        assertThat(GuestExecCaptureOutputMode.NONE.capturesStdout()).isFalse();
    }

    private static GuestFileWhence whence(JsonValue v) throws QgaException {
        return GuestFileWhence.bind(v, "whence", "whence");
    }

    private static GuestExecCaptureOutput capture(JsonValue v) throws QgaException {
        return GuestExecCaptureOutput.bind(v, "capture-output", "capture-output");
    }
}
