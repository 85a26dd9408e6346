package dev.jqga.server;

import dev.jqga.config.ConfigException;
import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whether the guest's filesystems are frozen, and what follows from it as in qemu-ga: only six
 * commands run, nothing is logged or written (the log file and pidfile of an agent that starts
 * frozen are opened on thaw), SIGTERM is ignored, and {@code <statedir>/qga.state.isfrozen}
 * marks the state across agent restarts. The fsfreeze commands call {@link #enter} and
 * {@link #leave}.
 */
public final class FreezeState {
    public static final String MARKER = "qga.state.isfrozen";

    private final Path marker;
    private final CommandRegistry registry;
    private final Log log;
    private String deferredLogfile;
    private Path deferredPidfile;
    private volatile Pidfile pidfile;

    FreezeState(Path statedir, CommandRegistry registry, Log log) {
        this.marker = statedir.resolve(MARKER);
        this.registry = registry;
        this.log = log;
    }

    /** Whether the marker says a previous agent exited with filesystems frozen. */
    boolean markerPresent() throws ConfigException {
        try {
            Files.readAttributes(marker, "basic:isRegularFile");
            return true;
        } catch (NoSuchFileException absent) {
            return false;
        } catch (IOException e) {
            throw new ConfigException("unable to access state file at path " + marker + ": " + Errors.text(e));
        }
    }

    /** Starts frozen: log file and pidfile wait for the thaw. */
    void startFrozen(String logfile, Path pidfilePath) {
        deferredLogfile = logfile;
        deferredPidfile = pidfilePath;
        log.setSuspended(true);
        registry.setFrozen(true);
    }

    public boolean frozen() {
        return registry.frozen();
    }

    void pidfile(Pidfile p) {
        pidfile = p;
    }

    /** The pidfile this agent holds, if any (it is removed at exit). */
    Pidfile pidfile() {
        return pidfile;
    }

    /** Filesystems are being frozen: restrict commands, stop logging, write the marker. */
    public void enter() {
        if (frozen()) {
            return;
        }
        registry.setFrozen(true);
        log.warn("disabling logging due to filesystem freeze");
        log.setSuspended(true);
        try {
            Files.deleteIfExists(marker);
            Files.createFile(
                    marker, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            log.warn("unable to create " + marker + ", fsfreeze may not function properly");
        }
    }

    /** Filesystems are thawed: open what was deferred, log again, re-enable commands, drop the marker. */
    public void leave() {
        if (!frozen()) {
            return;
        }
        if (deferredLogfile != null) {
            try {
                log.redirect(Log.appendTo(Path.of(deferredLogfile)));
            } catch (IOException e) {
                // stays on stderr, as qemu-ga does
            }
            deferredLogfile = null;
        }
        log.setSuspended(false);
        log.warn("logging re-enabled due to filesystem unfreeze");
        if (deferredPidfile != null) {
            try {
                pidfile = Pidfile.write(deferredPidfile, ProcessHandle.current().pid());
            } catch (ConfigException e) {
                log.warn(e.getMessage());
            }
            deferredPidfile = null;
        }
        registry.setFrozen(false);
        try {
            Files.delete(marker);
        } catch (IOException e) {
            log.warn("unable to delete " + marker + ", fsfreeze may not function properly");
        }
    }
}
