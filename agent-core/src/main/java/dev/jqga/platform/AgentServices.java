package dev.jqga.platform;

import dev.jqga.config.AgentConfig;
import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.log.Log;
import dev.jqga.server.PersistentState;

/**
 * What command families are built from: the registry to register into, the configuration, the
 * log, and the persistent state (file handles). Handed to each family's constructor.
 */
public record AgentServices(CommandRegistry registry, AgentConfig config, Log log, PersistentState state) {}
