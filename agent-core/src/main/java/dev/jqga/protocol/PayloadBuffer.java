package dev.jqga.protocol;

/**
 * The array a reply's bulk payload is read into (guest-file-read's data), lent to one request at
 * a time and given back when its reply has been written. A large one is kept across a run of
 * requests that ask for at least a quarter of it and dropped at the first that does not (any
 * other command, a short read at the end of a file), the rule the framer has for its arena.
 *
 * <p>Why keep it: on the launcher's small, self-shrinking serial heap, a fresh 4 MiB array per
 * read cost a full collection, the heap's shrinking and fresh pages for every request, and
 * 40% of the read rate. Why drop it: an idle agent must stay small (the loop trims the heap
 * only while nothing large is held).
 */
public final class PayloadBuffer {
    /** Arrays up to this size are cheap to allocate and are never kept. */
    static final int KEEP_ABOVE = 64 * 1024;

    private byte[] kept;
    private int asked;

    /** An array of at least {@code size} bytes for this request's payload. */
    public byte[] borrow(int size) {
        asked = Math.max(asked, size);
        if (kept != null && kept.length >= size) {
            return kept;
        }
        byte[] b = new byte[size];
        if (size > KEEP_ABOVE) {
            kept = b;
        }
        return b;
    }

    /** The payload outgrew {@code old}: an array of at least {@code size} bytes holding its first {@code used}. */
    public byte[] grow(byte[] old, int used, int size) {
        if (old.length >= size) {
            asked = Math.max(asked, size);
            return old;
        }
        byte[] b = borrow(size);
        System.arraycopy(old, 0, b, 0, used);
        return b;
    }

    /** The reply that carried the payload is written: what was lent may be reused or dropped. */
    public void replyWritten() {
        if (kept != null && asked < kept.length / 4) {
            kept = null;
        }
        asked = 0;
    }

    /** Whether a large array is held for the next request (so the heap is not to be trimmed yet). */
    public boolean holdsLarge() {
        return kept != null;
    }
}
