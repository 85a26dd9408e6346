package dev.jqga.protocol;

/**
 * QEMU's "modified UTF-8" rules: which code points are valid, how one sequence is decoded, and
 * how raw bytes become text for error messages (each undecodable sequence is one U+FFFD).
 */
final class ModifiedUtf8 {
    private static final int[] MIN_CP = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    private ModifiedUtf8() {}

    /** Surrogates, the noncharacters and anything beyond U+10FFFF are not valid. */
    static boolean isValidCodepoint(long cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return false;
        }
        if ((cp & 0xFFFFF800L) == 0xD800) {
            return false;
        }
        if (cp >= 0xFDD0 && cp <= 0xFDEF) {
            return false;
        }
        return (cp & 0xFFFE) != 0xFFFE;
    }

    /**
     * Decodes one sequence at {@code a[i]} (bounded by {@code end}). Returns the code point, or -1
     * when invalid; the number of bytes consumed goes to {@code consumed[0]}. Overlong forms are
     * invalid, except C0 80 which is U+0000.
     */
    static int decode(byte[] a, int i, int end, int[] consumed) {
        int p = i;
        int b = a[p++] & 0xFF;
        int cp;
        if (b == 0) {
            consumed[0] = 0;
            return -1;
        } else if (b < 0x80) {
            cp = b;
        } else if (b >= 0xFE || (b & 0x40) == 0) {
            cp = -1;
        } else {
            int len = 0;
            int mask = 0x80;
            for (; (b & mask) != 0; mask >>= 1) {
                len++;
            }
            cp = b & (mask - 1);
            for (int k = 1; k < len; k++) {
                int c = p < end ? a[p] & 0xFF : 0;
                if ((c & 0xC0) != 0x80) {
                    consumed[0] = p - i;
                    return -1;
                }
                p++;
                cp = (cp << 6) | (c & 0x3F);
            }
            if (!isValidCodepoint(cp)) {
                cp = -1;
            } else if (cp < MIN_CP[len - 2] && !(cp == 0 && len == 2)) {
                cp = -1;
            }
        }
        consumed[0] = p - i;
        return cp;
    }

    /**
     * Bytes as C would print them with %s (stopping at a NUL), decoded leniently: what QEMU's
     * JSON writer makes of a byte string that may not be valid UTF-8.
     */
    static String lenientCString(byte[] a, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        int[] consumed = new int[1];
        for (int i = off; i < end; ) {
            if (a[i] == 0) {
                break;
            }
            int cp = decode(a, i, end, consumed);
            i += Math.max(1, consumed[0]);
            sb.appendCodePoint(cp < 0 ? 0xFFFD : cp);
        }
        return sb.toString();
    }
}
