package dev.jqga.schema;

/** The result of guest-file-seek. */
public record GuestFileSeek(long position, boolean eof) {}
