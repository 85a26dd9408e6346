package dev.jqga.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A base64 argument (buf-b64, input-data, password), decoded the way qemu-ga decodes it (GLib):
 * only {@code A-Z a-z 0-9 + / =} and newline are allowed; newlines are skipped; {@code =} counts
 * as a zero-valued character and may stand mid-string; each group of four yields one to three
 * bytes; a trailing partial group is dropped.
 *
 * <p>Large payloads are decoded in chunks straight from the request's bytes ({@link #decodeTo}),
 * so a 48 MiB guest-file-write never holds its decoded data in one array.
 */
public final class Base64Data {
    public static final String INVALID = "Base64 data contains invalid characters";

    private static final byte INVALID_CHAR = -1;
    private static final byte PAD = -2;
    private static final byte NEWLINE = -3;
    private static final byte[] VALUE = new byte[256];

    static {
        Arrays.fill(VALUE, INVALID_CHAR);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = (byte) i;
        }
        VALUE['='] = PAD;
        VALUE['\n'] = NEWLINE;
    }

    /** Receives decoded bytes, one chunk at a time. */
    @FunctionalInterface
    public interface Sink<E extends Exception> {
        void accept(byte[] b, int off, int len) throws E;
    }

    private final JsonString text;
    private long decodedLength = -1;

    public Base64Data(JsonString text) {
        this.text = text;
    }

    /** Length of the encoded text. */
    public int encodedLength() {
        return text.length();
    }

    /** Decodes everything into one array. */
    public byte[] decode() throws QgaException {
        byte[] out = new byte[(int) decodedLength()];
        decodeTo(out.length, out, (b, off, len) -> {});
        return out;
    }

    /**
     * The number of bytes the text decodes to, after qemu's character check (which is why it is
     * asked before anything is written: a bad character fails the whole command).
     */
    public long decodedLength() throws QgaException {
        if (decodedLength >= 0) {
            return decodedLength;
        }
        byte[] raw = bytes();
        int off = offset();
        int end = off + text.length();
        long groups = 0;
        int inGroup = 0;
        int padsInGroup = 0;
        long pads = 0;
        for (int i = off; i < end; i++) {
            byte v = VALUE[raw[i] & 0xFF];
            if (v >= 0) {
                if (++inGroup < 4) {
                    continue;
                }
            } else if (v == PAD) {
                if (inGroup >= 2) {
                    padsInGroup++;
                }
                if (++inGroup < 4) {
                    continue;
                }
            } else if (v == NEWLINE) {
                continue;
            } else {
                throw new QgaException(INVALID);
            }
            groups++;
            pads += padsInGroup;
            inGroup = 0;
            padsInGroup = 0;
        }
        decodedLength = groups * 3 - pads;
        return decodedLength;
    }

    /**
     * Decodes the first {@code limit} bytes (at most {@link #decodedLength()}), filling {@code
     * chunk} and handing it to {@code sink} each time it is full and once at the end. Call {@link
     * #decodedLength()} first: this method assumes the characters were checked.
     */
    public <E extends Exception> void decodeTo(long limit, byte[] chunk, Sink<E> sink) throws E {
        byte[] raw = bytes();
        int i = offset();
        int end = i + text.length();
        int o = 0;
        long flushed = 0;
        int[] group = new int[4];
        int g = 0;
        while (flushed + o < limit) {
            // Whole groups of four plain characters, the usual case, three bytes at a time.
            if (g == 0) {
                int room = (int) Math.min(chunk.length - o, limit - flushed - o) / 3;
                int stop = (int) Math.min(end, i + 4L * room) - 3;
                while (i < stop) {
                    int a = VALUE[raw[i] & 0xFF];
                    int b = VALUE[raw[i + 1] & 0xFF];
                    int c = VALUE[raw[i + 2] & 0xFF];
                    int d = VALUE[raw[i + 3] & 0xFF];
                    if ((a | b | c | d) < 0) {
                        break;
                    }
                    int bits = a << 18 | b << 12 | c << 6 | d;
                    chunk[o] = (byte) (bits >> 16);
                    chunk[o + 1] = (byte) (bits >> 8);
                    chunk[o + 2] = (byte) bits;
                    o += 3;
                    i += 4;
                }
            }
            if (i >= end) {
                break;
            }
            // One character at a time: newlines, padding, the end of a chunk or of the limit.
            int v = VALUE[raw[i++] & 0xFF];
            if (v == NEWLINE) {
                continue;
            }
            group[g++] = v;
            if (g < 4) {
                continue;
            }
            g = 0;
            int bits = Math.max(group[0], 0) << 18
                    | Math.max(group[1], 0) << 12
                    | Math.max(group[2], 0) << 6
                    | Math.max(group[3], 0);
            for (int k = 0; k < 3 && flushed + o < limit; k++) {
                if (k > 0 && group[k + 1] == PAD) {
                    continue; // '=' as 3rd (4th) character drops the 2nd (3rd) byte, as GLib does
                }
                if (o == chunk.length) {
                    sink.accept(chunk, 0, o);
                    flushed += o;
                    o = 0;
                }
                chunk[o++] = (byte) (bits >> (16 - 8 * k));
            }
            if (o == chunk.length && flushed + o < limit) {
                sink.accept(chunk, 0, o);
                flushed += o;
                o = 0;
            }
        }
        sink.accept(chunk, 0, o);
    }

    private byte[] bytes() {
        return text.isAsciiView() ? text.asciiArray() : latin1();
    }

    private int offset() {
        return text.isAsciiView() ? text.asciiOffset() : 0;
    }

    /** A short or escaped string: chars above 0xFF become '?', which the check rejects anyway. */
    private byte[] latin1() {
        return text.value().getBytes(StandardCharsets.ISO_8859_1);
    }
}
