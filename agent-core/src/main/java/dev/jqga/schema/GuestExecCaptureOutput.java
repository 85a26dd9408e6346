package dev.jqga.schema;

import dev.jqga.dispatch.ArgumentBinder;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.JsonValue.JsonBool;
import dev.jqga.protocol.QgaException;

/**
 * The alternate {@code GuestExecCaptureOutput}: a boolean (true = separated, false = none, the
 * form older hosts send) or a {@link GuestExecCaptureOutputMode} name.
 */
public record GuestExecCaptureOutput(GuestExecCaptureOutputMode mode) {

    public static GuestExecCaptureOutput bind(JsonValue v, String name, String fullName) throws QgaException {
        if (v instanceof JsonBool b) {
            return new GuestExecCaptureOutput(
                    b.value() ? GuestExecCaptureOutputMode.SEPARATED : GuestExecCaptureOutputMode.NONE);
        }
        if (v instanceof JsonString) {
            return new GuestExecCaptureOutput(
                    ArgumentBinder.bindEnum(GuestExecCaptureOutputMode.class, v, name, fullName));
        }
        throw ArgumentBinder.invalidType(fullName, "GuestExecCaptureOutput");
    }
}
