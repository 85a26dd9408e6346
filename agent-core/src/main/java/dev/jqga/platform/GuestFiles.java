package dev.jqga.platform;

/**
 * The file-open capability behind guest-file-open: opens a guest file the way qemu-ga does
 * (non-blocking, never becoming the controlling terminal, not inherited by exec'd children) and
 * removes a file the agent created when a later open step failed.
 */
public interface GuestFiles {

    /**
     * Opens {@code path} (relative paths against the agent's working directory). With {@code
     * exclusive} and {@code mode.create()} the call fails with EEXIST if the file exists, so that
     * the caller knows it created the file.
     */
    GuestFile open(String path, OpenMode mode, boolean exclusive) throws OsException;

    /** unlink(2). */
    void remove(String path) throws OsException;
}
