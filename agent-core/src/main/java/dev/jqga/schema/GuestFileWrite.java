package dev.jqga.schema;

/** The result of guest-file-write. */
public record GuestFileWrite(long count, boolean eof) {}
