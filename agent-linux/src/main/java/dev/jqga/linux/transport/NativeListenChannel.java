package dev.jqga.linux.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import dev.jqga.config.AgentConfig;
import dev.jqga.linux.jna.Errno;
import dev.jqga.linux.jna.LibC;
import dev.jqga.transport.Channel;
import dev.jqga.transport.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A listening stream socket the JDK cannot open or adopt: {@code -m vsock-listen} (AF_VSOCK),
 * and the unix or vsock socket systemd hands over at fd 3. One client at a time, as qemu-ga: the
 * listening socket is not watched while a client is connected, so the next one waits in the
 * backlog (1) until the first leaves.
 */
public final class NativeListenChannel implements Channel {
    private static final LibC C = LibC.INSTANCE;
    private static final int SOCKADDR_VM_SIZE = 16;

    private final PollableFd listener;

    private NativeListenChannel(PollableFd listener) {
        this.listener = listener;
    }

    /** socket + bind + listen(1) on a vsock address. */
    public static NativeListenChannel vsock(VsockAddress address) throws IOException {
        int fd;
        try {
            fd = C.socket(LibC.AF_VSOCK, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0);
        } catch (LastErrorException e) {
            throw new IOException("Failed to create socket: " + Errno.text(e));
        }
        Memory sa = new Memory(SOCKADDR_VM_SIZE);
        sa.clear();
        sa.setShort(0, (short) LibC.AF_VSOCK);
        sa.setInt(4, address.port());
        sa.setInt(8, address.cid());
        try {
            C.bind(fd, sa, SOCKADDR_VM_SIZE);
        } catch (LastErrorException e) {
            C.close(fd);
            throw new IOException("Failed to bind socket: " + Errno.text(e));
        }
        try {
            C.listen(fd, 1);
        } catch (LastErrorException e) {
            C.close(fd);
            throw new IOException("Failed to listen on socket: " + Errno.text(e));
        }
        return new NativeListenChannel(new PollableFd(fd));
    }

    /** Serves a socket that is already listening (systemd socket activation). */
    public static NativeListenChannel adopt(int fd) throws IOException {
        try {
            int flags = C.fcntl(fd, LibC.F_GETFL, 0);
            C.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
        } catch (LastErrorException e) {
            throw new IOException("cannot use listen fd " + fd + ": " + Errno.text(e));
        }
        return new NativeListenChannel(new PollableFd(fd));
    }

    /** The method an inherited socket implies, from its address family; null for any other kind. */
    public static String methodOf(int fd) {
        IntByReference value = new IntByReference();
        IntByReference len = new IntByReference(4);
        try {
            C.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_DOMAIN, value, len);
        } catch (LastErrorException notASocket) {
            return null;
        }
        return switch (value.getValue()) {
            case LibC.AF_UNIX -> AgentConfig.UNIX_LISTEN;
            case LibC.AF_VSOCK -> AgentConfig.VSOCK_LISTEN;
            default -> null;
        };
    }

    @Override
    public Connection accept() throws IOException {
        int fd = listener.accept();
        return fd == PollableFd.CLOSED ? null : new SocketConnection(new PollableFd(fd));
    }

    @Override
    public void close() {
        listener.close();
    }

    /** One accepted client. */
    private static final class SocketConnection implements Connection {
        private final PollableFd socket;
        private final Memory in = new Memory(64 * 1024);
        private Memory out = new Memory(4096);

        SocketConnection(PollableFd socket) {
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            while (true) {
                int n = socket.read(in, (int) Math.min(dst.remaining(), in.size()));
                if (n > 0) {
                    Buffers.copy(in, n, dst);
                    return n;
                }
                if (n == 0 || n == PollableFd.CLOSED) {
                    return -1;
                }
                // AGAIN: poll said readable but nothing came; wait again
            }
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            out = Buffers.writeAll(socket, src, out);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
