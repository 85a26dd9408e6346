package dev.jqga.platform;

import dev.jqga.log.Log;
import dev.jqga.transport.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The operating system under the agent. One distribution runs everywhere: the first platform
 * module present whose {@link #supported()} is true is used. A capability a platform lacks is
 * simply not offered, and the commands that need it are listed by guest-info as disabled.
 */
public interface Platform {

    /** A short name for logs ("linux", "windows", "generic"). */
    String name();

    /** Whether this platform is the one we run on. */
    boolean supported();

    /**
     * Opens a channel better than the core's pure-Java one ({@code virtio-serial} woken by SIGIO)
     * or one the core cannot open at all ({@code vsock-listen}); null when this platform has
     * nothing for the method.
     */
    default Channel openChannel(String method, String path) throws IOException {
        return null;
    }

    /**
     * The method systemd's listening socket at {@code fd} implies ({@code unix-listen} or
     * {@code vsock-listen}), or null when it is not a socket type the agent serves.
     */
    default String inheritedSocketMethod(int fd) {
        return null;
    }

    /** Serves the listening socket inherited at {@code fd} (systemd socket activation). */
    default Channel adoptInheritedSocket(int fd) throws IOException {
        throw new IOException("socket activation is not supported on " + name());
    }

    /**
     * After socket activation: drops {@code LISTEN_*} from the native environment and marks the
     * inherited fds close-on-exec, so children the agent starts do not see them.
     */
    default void forgetSocketActivation(int fdCount) {}

    /**
     * {@code -d} with socket activation, parent side: puts the listening socket {@code fd} on
     * stdin, the one descriptor beyond stdout and stderr a re-executed daemon child can inherit
     * (the JDK closes the rest in children).
     */
    default void passSocketOnStdin(int fd) throws IOException {
        throw new IOException("cannot pass a socket to a child on " + name());
    }

    /**
     * {@code -d} with socket activation, child side: moves the listening socket off stdin to a
     * free descriptor (close-on-exec) and returns it; stdin is left to {@link #detach}.
     */
    default int takeSocketFromStdin() throws IOException {
        throw new IOException("cannot take a socket from stdin on " + name());
    }

    /**
     * Becomes a daemon the way qemu-ga's child does after fork: new session, umask 077, working
     * directory {@code /}. Then {@code ready} runs (the parent is still listening on stderr), and
     * stdin, stdout and stderr are pointed at {@code /dev/null}.
     */
    default void detach(Runnable ready) throws IOException {
        throw new IOException("cannot daemonize on " + name());
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
        for (String name : IMPLEMENTATIONS) {
            Platform p;
            try {
                p = (Platform) Class.forName(name).getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                continue; // that module is not in this distribution
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + name, e);
            }
            if (p.supported()) {
                return p;
            }
        }
        return new GenericPlatform();
    }

    /**
     * The platform modules, by class name. Not a ServiceLoader: its scan opens every jar on the
     * class path to look for META-INF/services, ~20 ms of start-up that class data sharing would
     * otherwise spare us.
     */
    List<String> IMPLEMENTATIONS = List.of("dev.jqga.linux.LinuxPlatform", "dev.jqga.windows.WindowsPlatform");
}
