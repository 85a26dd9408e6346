package dev.jqga.commands;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.NoArgs;
import dev.jqga.schema.GuestAgentCommandInfo;
import dev.jqga.schema.GuestAgentInfo;
import dev.jqga.server.ResponseWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** guest-sync, guest-sync-delimited, guest-ping, guest-info, guest-get-time. */
public final class SessionCommands {

    /** Arguments of guest-sync and guest-sync-delimited. */
    public record SyncArgs(long id) {}

    private final CommandRegistry registry;
    private final ResponseWriter writer;
    private final String version;

    public SessionCommands(CommandRegistry registry, ResponseWriter writer, String version) {
        this.registry = registry;
        this.writer = writer;
        this.version = version;
    }

    public void register() {
        registry.register("guest-sync", SyncArgs.class, a -> a.id());
        registry.register("guest-sync-delimited", SyncArgs.class, a -> {
            writer.delimitNextReply();
            return a.id();
        });
        registry.register("guest-ping", NoArgs.class, a -> null);
        registry.register("guest-info", NoArgs.class, a -> info());
        registry.register("guest-get-time", NoArgs.class, a -> timeNanos());
    }

    /** Commands in reverse schema order, as qemu-ga lists them. */
    GuestAgentInfo info() {
        List<CommandRegistry.Command> all = registry.all();
        List<GuestAgentCommandInfo> out = new ArrayList<>(all.size());
        for (int i = all.size() - 1; i >= 0; i--) {
            CommandRegistry.Command c = all.get(i);
            out.add(new GuestAgentCommandInfo(c.name(), registry.enabled(c), c.successResponse()));
        }
        return new GuestAgentInfo(version, out);
    }

    /** Nanoseconds since the epoch from a microsecond clock, like qemu-ga (last three digits 000). */
    static long timeNanos() {
        Instant now = Instant.now();
        return (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000) * 1000L;
    }
}
