package dev.jqga.config;

/** A configuration the agent cannot start with; its message is the one line the user sees. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
