package dev.jqga.schema;

import dev.jqga.protocol.QmpJson;

/** The result of guest-file-read; the data is base64-encoded straight into the reply. */
public record GuestFileRead(long count, QmpJson.Bytes bufB64, boolean eof) {}
