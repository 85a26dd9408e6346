package dev.jqga.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A JSON string. Large ASCII strings without escapes (base64 payloads) stay a view on the
 * framer's buffer, so a 64 MiB {@code buf-b64} is never copied into a {@link String}; the
 * view is only valid while its request is being dispatched.
 */
public final class JsonString implements JsonValue {
    private final byte[] raw;
    private final int off;
    private final int len;
    private String text;

    private JsonString(String text, byte[] raw, int off, int len) {
        this.text = text;
        this.raw = raw;
        this.off = off;
        this.len = len;
    }

    public static JsonString of(String s) {
        return new JsonString(s, null, 0, 0);
    }

    /** A view on ASCII bytes that need no unescaping. */
    static JsonString asciiView(byte[] raw, int off, int len) {
        return new JsonString(null, raw, off, len);
    }

    /** Whether {@link #asciiArray()} gives the content without copying. */
    public boolean isAsciiView() {
        return raw != null;
    }

    public byte[] asciiArray() {
        return raw;
    }

    public int asciiOffset() {
        return off;
    }

    public int asciiLength() {
        return len;
    }

    /** Length in chars. */
    public int length() {
        return raw != null ? len : text.length();
    }

    public char charAt(int i) {
        return raw != null ? (char) (raw[off + i] & 0xFF) : text.charAt(i);
    }

    public String value() {
        if (text == null) {
            text = new String(raw, off, len, StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    @Override
    public String toString() {
        return value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonString other && value().equals(other.value());
    }

    @Override
    public int hashCode() {
        return value().hashCode();
    }
}
