package dev.jqga.dispatch;

import java.util.List;
import java.util.Set;

/**
 * The 44 commands of the QGA 10.0 schema, in schema order (the order {@code -b help} prints;
 * guest-info lists them reversed). Every one is known to the registry from the start.
 */
public final class CommandCatalog {
    private CommandCatalog() {}

    public static final List<String> NAMES = List.of(
            "guest-sync-delimited",
            "guest-sync",
            "guest-ping",
            "guest-get-time",
            "guest-set-time",
            "guest-info",
            "guest-shutdown",
            "guest-file-open",
            "guest-file-close",
            "guest-file-read",
            "guest-file-write",
            "guest-file-seek",
            "guest-file-flush",
            "guest-fsfreeze-status",
            "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze-list",
            "guest-fsfreeze-thaw",
            "guest-fstrim",
            "guest-suspend-disk",
            "guest-suspend-ram",
            "guest-suspend-hybrid",
            "guest-network-get-interfaces",
            "guest-get-vcpus",
            "guest-set-vcpus",
            "guest-get-disks",
            "guest-get-fsinfo",
            "guest-set-user-password",
            "guest-get-memory-blocks",
            "guest-set-memory-blocks",
            "guest-get-memory-block-info",
            "guest-exec-status",
            "guest-exec",
            "guest-get-host-name",
            "guest-get-users",
            "guest-get-timezone",
            "guest-get-osinfo",
            "guest-get-devices",
            "guest-ssh-get-authorized-keys",
            "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys",
            "guest-get-diskstats",
            "guest-get-cpustats",
            "guest-get-load",
            "guest-network-get-route");

    /** Declared with {@code success-response: false}: nothing is sent when they succeed. */
    public static final Set<String> NO_SUCCESS_RESPONSE =
            Set.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid");

    /** What stays allowed while filesystems are frozen, whatever the allow and block lists say. */
    public static final Set<String> ALLOWED_WHILE_FROZEN = Set.of(
            "guest-ping",
            "guest-info",
            "guest-sync",
            "guest-sync-delimited",
            "guest-fsfreeze-status",
            "guest-fsfreeze-thaw");
}
