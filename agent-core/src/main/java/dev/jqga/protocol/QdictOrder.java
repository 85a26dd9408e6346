package dev.jqga.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which QEMU iterates a QDict: 512 hash buckets in index order, and within a bucket
 * the most recently inserted key first. The dispatcher reports the first bad member of a request
 * in this order, so a request with several bad members gets the same error as from qemu-ga.
 */
public final class QdictOrder {
    private static final int BUCKETS = 512;

    private QdictOrder() {}

    static int bucket(String key) {
        byte[] b = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int value = 0x238F13AF * b.length;
        for (int i = 0; i < b.length; i++) {
            value += (b[i] & 0xFF) << ((i * 5) % 24);
        }
        return Integer.remainderUnsigned(1103515243 * value + 12345, BUCKETS);
    }

    /** Keys given in insertion order, returned in QDict iteration order. */
    public static List<String> order(Iterable<String> insertionOrder) {
        List<String> keys = new ArrayList<>();
        insertionOrder.forEach(keys::add);
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            index.add(i);
        }
        index.sort(Comparator.<Integer>comparingInt(i -> bucket(keys.get(i))).thenComparing(i -> -i));
        List<String> out = new ArrayList<>(keys.size());
        index.forEach(i -> out.add(keys.get(i)));
        return out;
    }
}
