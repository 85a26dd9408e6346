package dev.jqga.schema;

import dev.jqga.protocol.QmpJson;

/**
 * The result of guest-exec-status. While the child runs only {@code exited: false}; once it has
 * exited, either {@code exitcode} or {@code signal}, and each captured stream that produced at
 * least one byte with its truncated flag. Absent members are null.
 */
public record GuestExecStatus(
        boolean exited,
        Long exitcode,
        Long signal,
        QmpJson.Bytes outData,
        QmpJson.Bytes errData,
        Boolean outTruncated,
        Boolean errTruncated) {

    public static final GuestExecStatus RUNNING = new GuestExecStatus(false, null, null, null, null, null, null);
}
