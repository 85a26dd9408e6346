package dev.jqga.linux;

import com.sun.jna.LastErrorException;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.server.Daemon;
import dev.jqga.server.SocketActivation;
import java.io.IOException;
import java.util.List;

/** What qemu-ga does to its own process on Linux: daemonizing and forgetting socket activation. */
final class LinuxProcess {
    private static final LibC C = LibC.INSTANCE;

    private LinuxProcess() {}

    /** New session, umask 077, cwd {@code /}; then {@code ready}; then stdio on {@code /dev/null}. */
    static void detach(Runnable ready) throws IOException {
        try {
            C.setsid();
        } catch (LastErrorException e) {
            throw new IOException("setsid: " + Errno.text(e));
        }
        C.umask(077);
        try {
            C.chdir("/");
        } catch (LastErrorException e) {
            throw new IOException("chdir /: " + Errno.text(e));
        }
        // guest-exec children inherit the C environment: the re-exec markers are ours alone
        unsetenv(List.of(Daemon.CHILD_ENV, Daemon.SOCKET_ON_STDIN_ENV));
        ready.run();
        try {
            int nul = C.open("/dev/null", LibC.O_RDWR, 0);
            for (int fd = 0; fd <= 2; fd++) {
                C.dup2(nul, fd);
            }
            if (nul > 2) {
                C.close(nul);
            }
        } catch (LastErrorException e) {
            // qemu-ga ignores this too: the daemon runs on with whatever stdio it had
        }
    }

    /** dup2(fd, 0): the daemon child started next inherits the socket as its stdin. */
    static void passSocketOnStdin(int fd) throws IOException {
        try {
            C.dup2(fd, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot pass the listening socket on: " + Errno.text(e));
        }
    }

    /** The socket on stdin, moved to the lowest free fd from 3 up, close-on-exec. */
    static int takeSocketFromStdin() throws IOException {
        try {
            return C.fcntl(0, LibC.F_DUPFD_CLOEXEC, 3);
        } catch (LastErrorException e) {
            throw new IOException("cannot take the listening socket from stdin: " + Errno.text(e));
        }
    }

    /** As systemd's sd_listen_fds(unset=1): children must not think the sockets are theirs. */
    static void forgetSocketActivation(int fdCount) {
        unsetenv(SocketActivation.ENV_NAMES);
        for (int i = 0; i < fdCount; i++) {
            try {
                C.fcntl(3 + i, LibC.F_SETFD, LibC.FD_CLOEXEC);
            } catch (LastErrorException ignored) {
                // not open
            }
        }
    }

    private static void unsetenv(List<String> names) {
        for (String name : names) {
            try {
                C.unsetenv(name);
            } catch (LastErrorException ignored) {
                // not set
            }
        }
    }
}
