package dev.jqga.protocol;

import java.util.Base64;

/**
 * A base64 argument (buf-b64, input-data, password), decoded the way qemu-ga decodes it (GLib):
 * only {@code A-Z a-z 0-9 + / =} and newline are allowed; newlines are skipped; {@code =} counts
 * as a zero-valued character and may stand mid-string; each group of four yields one to three
 * bytes; a trailing partial group is dropped. Canonical input takes the JDK's fast decoder.
 */
public final class Base64Data {
    public static final String INVALID = "Base64 data contains invalid characters";

    private static final byte[] VALUE = new byte[256];

    /** Byte classes for {@link #checkView}. */
    private static final byte[] KIND = new byte[256];

    private static final byte DIGIT = 0;
    private static final byte PAD = 1;
    private static final byte NEWLINE = 2;
    private static final byte INVALID_BYTE = 3;

    static {
        java.util.Arrays.fill(VALUE, (byte) -1);
        java.util.Arrays.fill(KIND, INVALID_BYTE);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = (byte) i;
            KIND[alphabet.charAt(i)] = DIGIT;
        }
        VALUE['='] = 0;
        KIND['='] = PAD;
        KIND['\n'] = NEWLINE;
    }

    private final JsonString text;

    public Base64Data(JsonString text) {
        this.text = text;
    }

    /** Length of the encoded text. */
    public int encodedLength() {
        return text.length();
    }

    public byte[] decode() throws QgaException {
        boolean canonical = text.isAsciiView() ? checkView() : checkChars();
        if (canonical) {
            try {
                if (text.isAsciiView()) {
                    java.nio.ByteBuffer src =
                            java.nio.ByteBuffer.wrap(text.asciiArray(), text.asciiOffset(), text.asciiLength());
                    java.nio.ByteBuffer out = Base64.getDecoder().decode(src);
                    if (out.hasArray() && out.arrayOffset() == 0 && out.remaining() == out.array().length) {
                        return out.array();
                    }
                    byte[] copy = new byte[out.remaining()];
                    out.get(copy);
                    return copy;
                }
                return Base64.getDecoder().decode(text.value());
            } catch (IllegalArgumentException lenientPathHandlesIt) {
                // e.g. non-zero padding bits: GLib accepts them, the JDK does not
            }
        }
        return decodeLenient();
    }

    /** Validates the text; true when it is canonical base64 (no newline, padding only at the end). */
    private boolean checkChars() throws QgaException {
        int n = text.length();
        boolean canonical = n % 4 == 0;
        for (int i = 0; i < n; i++) {
            int c = text.charAt(i);
            if (c > 0xFF || (VALUE[c] < 0 && c != '\n')) {
                throw new QgaException(INVALID);
            }
            if (c == '\n' || (c == '=' && !paddingAtEnd(i, n))) {
                canonical = false;
            }
        }
        return canonical;
    }

    /**
     * {@link #checkChars} straight on the framer's bytes, one table look-up per byte in the common
     * case: the agent runs C1-compiled code, where the per-char calls and tests cost 3x more.
     */
    private boolean checkView() throws QgaException {
        byte[] a = text.asciiArray();
        int off = text.asciiOffset();
        int n = text.asciiLength();
        boolean canonical = n % 4 == 0;
        for (int i = 0; i < n; i++) {
            byte kind = KIND[a[off + i] & 0xFF];
            if (kind != DIGIT) {
                if (kind == INVALID_BYTE) {
                    throw new QgaException(INVALID);
                }
                canonical &= kind == PAD && paddingAtEnd(i, n);
            }
        }
        return canonical;
    }

    /** An '=' at {@code i} is canonical padding: the last char, or the one before a final '='. */
    private boolean paddingAtEnd(int i, int n) {
        return i == n - 1 || (i == n - 2 && text.charAt(n - 1) == '=');
    }

    private byte[] decodeLenient() {
        int n = text.length();
        byte[] out = new byte[n / 4 * 3 + 3];
        int o = 0;
        int[] group = new int[4];
        boolean[] pad = new boolean[4];
        int g = 0;
        for (int i = 0; i < n; i++) {
            int c = text.charAt(i);
            if (c == '\n') {
                continue;
            }
            group[g] = VALUE[c];
            pad[g] = c == '=';
            if (++g == 4) {
                out[o++] = (byte) ((group[0] << 2) | (group[1] >> 4));
                if (!pad[2]) {
                    out[o++] = (byte) ((group[1] << 4) | (group[2] >> 2));
                }
                if (!pad[3]) {
                    out[o++] = (byte) ((group[2] << 6) | group[3]);
                }
                g = 0;
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }
}
