package dev.jqga.dispatch;

/** The arguments of a command that takes none; any member given is "unexpected". */
public record NoArgs() {}
