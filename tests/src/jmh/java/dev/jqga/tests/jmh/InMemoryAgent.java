package dev.jqga.tests.jmh;

import dev.jqga.Version;
import dev.jqga.commands.SessionCommands;
import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.Dispatcher;
import dev.jqga.log.Log;
import dev.jqga.protocol.QmpJson;
import dev.jqga.server.AgentLoop;
import dev.jqga.server.ResponseWriter;
import dev.jqga.transport.Channel;
import dev.jqga.transport.Connection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * The agent's request path without a process or a socket: the real {@link AgentLoop}, framer,
 * dispatcher, session commands and reply writer, fed from a byte array in 64 KiB reads (as the
 * loop reads a socket) and writing replies into a counter.
 */
final class InMemoryAgent {
    private final Dispatcher dispatcher;
    private final ResponseWriter writer;
    private final Log log = new Log(new PrintStream(OutputStream.nullOutputStream()), false);

    InMemoryAgent() {
        CommandRegistry registry = new CommandRegistry();
        writer = new ResponseWriter(new QmpJson(), log);
        new SessionCommands(registry, writer, Version.QGA).register();
        dispatcher = new Dispatcher(registry, (command, e) -> {
            throw e;
        });
    }

    /** Runs one connection that sends {@code input} and closes; returns the reply bytes written. */
    long serve(byte[] input) throws IOException {
        ReplayChannel channel = new ReplayChannel(input);
        new AgentLoop(channel, dispatcher, writer, log).run();
        return channel.written;
    }

    /** One connection replaying a byte array; accept() returns null after it. */
    private static final class ReplayChannel implements Channel, Connection {
        private final byte[] input;
        private int pos;
        private boolean accepted;
        long written;

        ReplayChannel(byte[] input) {
            this.input = input;
        }

        @Override
        public Connection accept() {
            if (accepted) {
                return null;
            }
            accepted = true;
            return this;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == input.length) {
                return -1;
            }
            int n = Math.min(dst.remaining(), input.length - pos);
            dst.put(input, pos, n);
            pos += n;
            return n;
        }

        @Override
        public void write(ByteBuffer src) {
            written += src.remaining();
            src.position(src.limit());
        }

        @Override
        public void close() {}
    }
}
