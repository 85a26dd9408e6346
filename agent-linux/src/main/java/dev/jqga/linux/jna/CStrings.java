package dev.jqga.linux.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Strings from the wire as the C library wants them: UTF-8, NUL-terminated, whatever the JVM's
 * locale (qemu-ga hands the host's bytes on as they are; a JVM under LANG=C would turn non-ASCII
 * into '?'). U+0000 becomes C0 80, the form QEMU's JSON parser stores it in.
 */
public final class CStrings {
    private CStrings() {}

    public static byte[] of(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int nuls = 0;
        for (byte b : utf8) {
            if (b == 0) {
                nuls++;
            }
        }
        byte[] out = new byte[utf8.length + nuls + 1];
        int o = 0;
        for (byte b : utf8) {
            if (b == 0) {
                out[o++] = (byte) 0xC0;
                out[o++] = (byte) 0x80;
            } else {
                out[o++] = b;
            }
        }
        return out;
    }

    /** A NULL-terminated {@code char *[]} with its strings, in one native block. */
    public static Pointer array(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        long bytes = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = of(strings.get(i));
            bytes += encoded[i].length;
        }
        long table = (long) (encoded.length + 1) * Native.POINTER_SIZE;
        Memory m = new Memory(table + Math.max(1, bytes));
        long at = table;
        for (int i = 0; i < encoded.length; i++) {
            m.write(at, encoded[i], 0, encoded[i].length);
            m.setPointer((long) i * Native.POINTER_SIZE, m.share(at));
            at += encoded[i].length;
        }
        m.setPointer((long) encoded.length * Native.POINTER_SIZE, null);
        return m;
    }
}
