package dev.jqga.platform;

/**
 * What an open(2) of a guest file asks for, independent of any C library: access, and whether the
 * file is created, truncated, or written at its end only.
 */
public record OpenMode(boolean read, boolean write, boolean create, boolean truncate, boolean append) {

    /** The same open of a file that exists already. */
    public OpenMode withoutCreate() {
        return new OpenMode(read, write, false, truncate, append);
    }
}
