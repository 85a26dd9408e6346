package dev.jqga.transport;

import com.fazecast.jSerialComm.SerialPort;
import dev.jqga.server.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code -m isa-serial}: a serial line ({@code /dev/ttyS0}, {@code COM1}) through jSerialComm,
 * in raw mode as qemu-ga sets it (8N1 at 38400 baud, no flow control, no echo, no line editing,
 * no output processing). Reads return as soon as one byte is there and block without spinning
 * until then. The line is one long-lived connection; a read error (the other end of a pty gone,
 * a USB adapter unplugged) ends it, and {@code --retry-path} reopens the device.
 */
public final class SerialPortChannel implements Channel {
    private static final int BAUD = 38400;

    private final SerialPort port;
    private volatile boolean handedOut;
    private volatile boolean closed;

    private SerialPortChannel(SerialPort port) {
        this.port = port;
    }

    public static SerialPortChannel open(String path) throws IOException {
        if (!path.startsWith("COM") && !Files.exists(Path.of(path))) {
            throw new IOException(
                    "error opening channel '" + path + "': " + Errors.text(new NoSuchFileException(path)));
        }
        SerialPort port = SerialPort.getCommPort(path);
        port.setComPortParameters(BAUD, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        // Semi-blocking with no timeout: return once at least one byte has arrived.
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!port.openPort()) {
            throw new IOException(
                    "error opening channel '" + path + "': error " + port.getLastErrorCode() + " from the serial port");
        }
        return new SerialPortChannel(port);
    }

    @Override
    public Connection accept() {
        if (handedOut || closed) {
            return null;
        }
        handedOut = true;
        return new Line();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            port.closePort();
        }
    }

    private final class Line implements Connection {
        private byte[] scratch = new byte[0];

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n;
            if (dst.hasArray()) {
                n = port.readBytes(dst.array(), dst.remaining(), dst.arrayOffset() + dst.position());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                if (scratch.length < dst.remaining()) {
                    scratch = new byte[dst.remaining()];
                }
                n = port.readBytes(scratch, dst.remaining());
                if (n > 0) {
                    dst.put(scratch, 0, n);
                }
            }
            if (n > 0) {
                return n;
            }
            if (closed) {
                return -1;
            }
            throw new IOException("serial port read failed (errno " + port.getLastErrorCode() + ")");
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            byte[] a;
            int off;
            int len = src.remaining();
            if (src.hasArray()) {
                a = src.array();
                off = src.arrayOffset() + src.position();
            } else {
                a = new byte[len];
                src.duplicate().get(a);
                off = 0;
            }
            int done = 0;
            while (done < len) {
                int n = port.writeBytes(a, len - done, off + done);
                if (n <= 0) {
                    throw new IOException("serial port write failed (errno " + port.getLastErrorCode() + ")");
                }
                done += n;
            }
            src.position(src.position() + len);
        }

        @Override
        public void close() {
            SerialPortChannel.this.close();
        }
    }
}
