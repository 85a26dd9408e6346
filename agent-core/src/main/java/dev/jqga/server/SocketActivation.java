package dev.jqga.server;

import dev.jqga.config.ConfigException;
import dev.jqga.platform.Platform;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * systemd socket activation as qemu-ga does it: when {@code LISTEN_PID} is this process and
 * {@code LISTEN_FDS} is set, fd 3 is the listening socket, the method follows from its family
 * (unix or vsock) and {@code -m}/{@code -p} are ignored; more than one socket is refused. With
 * {@code -d} the socket reaches the daemon child on its stdin (see {@link Daemon}).
 *
 * @param method the method the socket implies ({@code unix-listen} or {@code vsock-listen})
 * @param fd where the listening socket is: fd 3, or where the daemon child moved it
 */
public record SocketActivation(String method, int fd) {
    /** The first inherited fd, {@code SD_LISTEN_FDS_START}. */
    public static final int FIRST_FD = 3;

    /** The variables systemd sets; dropped once read, so that children do not take them as theirs. */
    public static final List<String> ENV_NAMES = List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");

    /** The activation this process was started with, or null when it was not socket-activated. */
    public static SocketActivation detect(Map<String, String> env, long pid, Platform platform) throws ConfigException {
        if (Daemon.isChild(env) && "1".equals(env.get(Daemon.SOCKET_ON_STDIN_ENV))) {
            return fromStdin(platform);
        }
        Long listenPid = unsigned(env.get("LISTEN_PID"));
        if (listenPid == null || listenPid != pid) {
            return null;
        }
        Long fds = unsigned(env.get("LISTEN_FDS"));
        if (fds == null || fds == 0) {
            return null;
        }
        platform.forgetSocketActivation((int) Math.min(fds, Integer.MAX_VALUE));
        if (fds > 1) {
            throw new ConfigException("qemu-ga only supports listening on one socket");
        }
        String method = platform.inheritedSocketMethod(FIRST_FD);
        if (method == null) {
            throw new ConfigException("unsupported listen fd type");
        }
        return new SocketActivation(method, FIRST_FD);
    }

    /** The daemon child's side: the parent's activated socket arrived on stdin. */
    private static SocketActivation fromStdin(Platform platform) throws ConfigException {
        int fd;
        try {
            fd = platform.takeSocketFromStdin();
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
        String method = platform.inheritedSocketMethod(fd);
        if (method == null) {
            throw new ConfigException("unsupported listen fd type");
        }
        return new SocketActivation(method, fd);
    }

    private static Long unsigned(String s) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
