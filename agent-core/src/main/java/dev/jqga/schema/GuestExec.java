package dev.jqga.schema;

/** The result of guest-exec: the child's pid. */
public record GuestExec(long pid) {}
