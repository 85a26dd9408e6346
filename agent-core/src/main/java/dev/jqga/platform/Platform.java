package dev.jqga.platform;

import dev.jqga.log.Log;
import dev.jqga.transport.Channel;
import java.io.IOException;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The operating system under the agent. One distribution runs everywhere: the first platform on
 * the class path whose {@link #supported()} is true is used. A capability a platform lacks is
 * simply not offered, and the commands that need it are listed by guest-info as disabled.
 */
public interface Platform {

    /** A short name for logs ("linux", "windows", "generic"). */
    String name();

    /** Whether this platform is the one we run on. */
    boolean supported();

    /**
     * Opens a channel the core cannot open in pure Java ({@code vsock-listen}), or returns null
     * when this platform does not know the method.
     */
    default Channel openChannel(String method, String path) throws IOException {
        return null;
    }

    /**
     * The listening socket systemd handed over ({@code LISTEN_PID}/{@code LISTEN_FDS}), or null
     * when the agent was not socket-activated.
     */
    default Channel socketActivated() throws IOException {
        return null;
    }

    /** Registers the platform's command handlers (families that need this OS). */
    default void registerCommands(AgentServices services) {}

    /** Opening guest files (guest-file-*); the default is plain Java, which cannot open non-blocking. */
    default GuestFiles files() {
        return new JdkGuestFiles();
    }

    /** Spawning guest-exec children, where this platform can tell exit codes from signals exactly. */
    default Optional<ProcessLauncher> processes(Log log) {
        return Optional.empty();
    }

    /** The platform for this machine, or a generic one that offers nothing beyond pure Java. */
    static Platform detect() {
        for (Platform p : ServiceLoader.load(Platform.class)) {
            if (p.supported()) {
                return p;
            }
        }
        return new GenericPlatform();
    }
}
