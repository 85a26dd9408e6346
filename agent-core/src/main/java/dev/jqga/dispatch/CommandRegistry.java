package dev.jqga.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every command of the schema, whether it is implemented here, and whether it may run now. The
 * wire text for a disabled command is always qemu-ga 10's "the command is not allowed"; the
 * {@link Disabled} reason is ours, for logs and guest-info readers.
 */
public final class CommandRegistry {

    /** Why a command is not enabled, or {@code null} when it is. */
    public enum Disabled {
        /** Not implemented on this platform (yet, or ever). */
        UNSUPPORTED,
        /** Left out by the allow list or named by the block list. */
        BLOCKED,
        /** Filesystems are frozen and the command is not one of the six allowed then. */
        FROZEN
    }

    /** One command: its name, success-response flag, and its implementation if there is one. */
    public static final class Command {
        private final String name;
        private final boolean successResponse;
        private Class<?> argsType;
        private CommandHandler<?> handler;

        Command(String name) {
            this.name = name;
            this.successResponse = !CommandCatalog.NO_SUCCESS_RESPONSE.contains(name);
        }

        public String name() {
            return name;
        }

        public boolean successResponse() {
            return successResponse;
        }

        public boolean implemented() {
            return handler != null;
        }

        Class<?> argsType() {
            return argsType;
        }

        CommandHandler<?> handler() {
            return handler;
        }
    }

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private Set<String> allowList = Set.of();
    private Set<String> blockList = Set.of();
    private volatile boolean frozen;

    public CommandRegistry() {
        for (String name : CommandCatalog.NAMES) {
            commands.put(name, new Command(name));
        }
    }

    /** Installs the implementation of a schema command. */
    public <A> void register(String name, Class<A> argsType, CommandHandler<A> handler) {
        Command c = commands.get(name);
        if (c == null) {
            throw new IllegalArgumentException("not a QGA command: " + name);
        }
        c.argsType = argsType;
        c.handler = handler;
    }

    /** The allow list (empty: everything allowed) and block list; unknown names are ignored. */
    public void setFilters(Set<String> allow, Set<String> block) {
        this.allowList = Set.copyOf(allow);
        this.blockList = Set.copyOf(block);
    }

    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    public boolean frozen() {
        return frozen;
    }

    /** The command by name, or null when the schema has no such command. */
    public Command find(String name) {
        return commands.get(name);
    }

    public Disabled disabledReason(Command c) {
        if (!c.implemented()) {
            return Disabled.UNSUPPORTED;
        }
        if (frozen) {
            return CommandCatalog.ALLOWED_WHILE_FROZEN.contains(c.name) ? null : Disabled.FROZEN;
        }
        if (!allowList.isEmpty() && !allowList.contains(c.name)) {
            return Disabled.BLOCKED;
        }
        return blockList.contains(c.name) ? Disabled.BLOCKED : null;
    }

    public boolean enabled(Command c) {
        return disabledReason(c) == null;
    }

    /** All commands in schema order. */
    public List<Command> all() {
        return Collections.unmodifiableList(new ArrayList<>(commands.values()));
    }
}
