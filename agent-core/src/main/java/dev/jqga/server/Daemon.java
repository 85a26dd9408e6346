package dev.jqga.server;

import dev.jqga.platform.Platform;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code -d}: a JVM cannot fork, so the parent starts the same JVM command again as the daemon
 * child and waits. The child sets itself up (pidfile, log, state, channel), detaches (new
 * session, umask 077, cwd {@code /}) and then says it is ready on its stderr, which it then
 * points at {@code /dev/null}. The parent relays whatever the child printed before that and
 * exits 0 once the child is ready, or with the child's status when it failed to start: unlike
 * qemu-ga, whose parent exits 0 before the child has tried anything.
 *
 * <p>A socket-activated parent hands its listening socket on as the child's stdin (the JDK closes
 * every other descriptor in children), where qemu-ga's forked child simply keeps fd 3.
 */
public final class Daemon {
    /** Set in the child's environment: "you are the daemon, do not fork again". */
    public static final String CHILD_ENV = "JQGA_DAEMON_CHILD";

    /** Set in the child's environment when its stdin is the parent's socket-activated listener. */
    public static final String SOCKET_ON_STDIN_ENV = "JQGA_DAEMON_SOCKET_ON_STDIN";

    /** The line the child writes to stderr when it is up (NUL-prefixed: no log line looks like it). */
    static final String READY = "\0jqga-daemon-ready";

    private Daemon() {}

    public static boolean isChild(Map<String, String> env) {
        return "1".equals(env.get(CHILD_ENV));
    }

    /** Tells the parent the daemon is up; called by the child just before it closes stderr. */
    static void signalReady(PrintStream stderr) {
        stderr.println(READY);
        stderr.flush();
    }

    /**
     * Parent side: starts the daemon child and returns the exit status for this process.
     *
     * @param activation the socket systemd passed this process, or null
     */
    public static int launch(PrintStream err, SocketActivation activation, Platform platform) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isEmpty() || arguments.isEmpty()) {
            err.println("failed to daemonize: cannot tell how this process was started");
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(command.get());
        cmd.addAll(List.of(arguments.get()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().put(CHILD_ENV, "1");
        // the JVM's copy of the environment still has what forgetSocketActivation unset natively
        pb.environment().keySet().removeAll(SocketActivation.ENV_NAMES);
        if (activation != null) {
            try {
                platform.passSocketOnStdin(activation.fd());
            } catch (IOException e) {
                err.println("failed to daemonize: " + e.getMessage());
                return 1;
            }
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put(SOCKET_ON_STDIN_ENV, "1");
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            err.println("failed to daemonize: " + e.getMessage());
            return 1;
        }
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(READY)) {
                    return 0;
                }
                err.println(line);
            }
        } catch (IOException e) {
            err.println("failed to daemonize: " + e.getMessage());
        }
        try {
            int status = child.waitFor();
            return status == 0 ? 1 : status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
