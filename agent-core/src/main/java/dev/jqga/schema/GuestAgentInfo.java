package dev.jqga.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The result of guest-info. */
public record GuestAgentInfo(
        String version, @JsonProperty("supported_commands") List<GuestAgentCommandInfo> supportedCommands) {}
