package dev.jqga.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jqga.dispatch.Dispatcher.Reply;
import dev.jqga.log.Log;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.PayloadBuffer;
import dev.jqga.protocol.QgaException;
import dev.jqga.protocol.QmpJson;
import dev.jqga.transport.Connection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes replies, one line each, to whoever is connected. Output is buffered and flushed when
 * the reader has no more complete requests at hand, so pipelined requests are answered with
 * few writes; a write to a client that has gone (or a virtio-serial host that left) is logged
 * and the reply dropped, as qemu-ga does; the next reply is tried afresh.
 */
public final class ResponseWriter {
    private static final int BUFFER = 64 * 1024;

    private final QmpJson json;
    private final Log log;
    private final ConnectionStream stream = new ConnectionStream();
    private final PayloadBuffer payload = new PayloadBuffer();
    private boolean delimitNext;

    public ResponseWriter(QmpJson json, Log log) {
        this.json = json;
        this.log = log;
    }

    void attach(Connection connection) {
        stream.connection = connection;
    }

    /** guest-sync-delimited: the next reply written starts with a 0xFF byte. */
    public void delimitNextReply() {
        delimitNext = true;
    }

    boolean hasPending() {
        return stream.count > 0;
    }

    /** Where a command reads a large reply payload (guest-file-read's data) before it is written. */
    public PayloadBuffer payloadBuffer() {
        return payload;
    }

    /** Whether a large payload array is kept for a run of large replies. */
    boolean holdsLargePayload() {
        return payload.holdsLarge();
    }

    void write(Reply reply) {
        if (reply instanceof Reply.Success s) {
            writeSuccess(s.value(), s.id());
        } else if (reply instanceof Reply.Failure f) {
            writeError(f.error(), f.id());
        } else {
            delimitNext = false;
        }
        payload.replyWritten();
    }

    private void writeSuccess(Object value, JsonValue id) {
        try {
            startReply();
            JsonGenerator g = json.generator(stream);
            g.writeStartObject();
            g.writeFieldName("return");
            if (value == null) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                json.writeValue(g, value);
            }
            writeId(g, id);
            g.writeEndObject();
            g.close();
            stream.write('\n');
        } catch (IOException e) {
            lost(e);
        }
    }

    void writeError(QgaException error, JsonValue id) {
        try {
            startReply();
            JsonGenerator g = json.generator(stream);
            g.writeStartObject();
            g.writeFieldName("error");
            g.writeStartObject();
            g.writeStringField("class", error.errorClass().name());
            g.writeStringField("desc", error.desc());
            g.writeEndObject();
            writeId(g, id);
            g.writeEndObject();
            g.close();
            stream.write('\n');
        } catch (IOException e) {
            lost(e);
        }
    }

    private void startReply() throws IOException {
        if (delimitNext) {
            delimitNext = false;
            stream.write(0xFF);
        }
    }

    private void writeId(JsonGenerator g, JsonValue id) throws IOException {
        if (id != null) {
            g.writeFieldName("id");
            json.writeValue(g, id);
        }
    }

    void flush() {
        try {
            stream.flush();
        } catch (IOException e) {
            lost(e);
        }
    }

    private void lost(IOException e) {
        log.warn("error sending response: " + e.getMessage());
        stream.count = 0;
    }

    /** A buffer in front of the connection. */
    private static final class ConnectionStream extends OutputStream {
        private final byte[] buf = new byte[BUFFER];
        private int count;
        Connection connection;

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                flush();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= buf.length) {
                flush();
                send(ByteBuffer.wrap(b, off, len));
                return;
            }
            if (len > buf.length - count) {
                flush();
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            if (count > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, count);
                count = 0;
                send(bb);
            }
        }

        private void send(ByteBuffer bb) throws IOException {
            if (connection == null) {
                return;
            }
            connection.write(bb);
        }
    }
}
