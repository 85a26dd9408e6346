package dev.jqga.transport;

import dev.jqga.server.Errors;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -m unix-listen}: a stale socket file is removed, then bind with backlog 1. One client is
 * served at a time; a second one's connect succeeds and it is served when the first leaves.
 * The socket file stays after exit, as with qemu-ga.
 */
public final class UnixListenChannel implements Channel {
    private final ServerSocketChannel server;

    private UnixListenChannel(ServerSocketChannel server) {
        this.server = server;
    }

    public static UnixListenChannel bind(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(path);
            s.bind(UnixDomainSocketAddress.of(path), 1);
        } catch (IOException e) {
            s.close();
            throw new IOException("Failed to bind socket to " + path + ": " + Errors.text(e), e);
        }
        return new UnixListenChannel(s);
    }

    @Override
    public Connection accept() throws IOException {
        try {
            return new SocketConnection(server.accept());
        } catch (AsynchronousCloseException closed) {
            return null;
        } catch (IOException e) {
            if (!server.isOpen()) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** A connected stream socket. */
    public static final class SocketConnection implements Connection {
        private final SocketChannel socket;

        public SocketConnection(SocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return socket.read(dst);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                socket.write(src);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
