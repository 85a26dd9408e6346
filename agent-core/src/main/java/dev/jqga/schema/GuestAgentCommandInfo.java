package dev.jqga.schema;

/** One entry of guest-info's supported_commands. */
public record GuestAgentCommandInfo(String name, boolean enabled, boolean successResponse) {}
