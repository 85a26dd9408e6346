package dev.jqga.commands;

import dev.jqga.platform.OpenMode;
import dev.jqga.protocol.QgaException;
import java.util.Map;

/**
 * The fopen(3) mode strings guest-file-open accepts, exactly qemu-ga's table ("b" is accepted and
 * means nothing on POSIX; "rw", "x" and the like are refused).
 */
final class FileOpenModes {
    private static final OpenMode READ = new OpenMode(true, false, false, false, false);
    private static final OpenMode WRITE = new OpenMode(false, true, true, true, false);
    private static final OpenMode APPEND = new OpenMode(false, true, true, false, true);
    private static final OpenMode READ_UPDATE = new OpenMode(true, true, false, false, false);
    private static final OpenMode WRITE_UPDATE = new OpenMode(true, true, true, true, false);
    private static final OpenMode APPEND_UPDATE = new OpenMode(true, true, true, false, true);

    private static final Map<String, OpenMode> MODES = Map.ofEntries(
            Map.entry("r", READ),
            Map.entry("rb", READ),
            Map.entry("w", WRITE),
            Map.entry("wb", WRITE),
            Map.entry("a", APPEND),
            Map.entry("ab", APPEND),
            Map.entry("r+", READ_UPDATE),
            Map.entry("rb+", READ_UPDATE),
            Map.entry("r+b", READ_UPDATE),
            Map.entry("w+", WRITE_UPDATE),
            Map.entry("wb+", WRITE_UPDATE),
            Map.entry("w+b", WRITE_UPDATE),
            Map.entry("a+", APPEND_UPDATE),
            Map.entry("ab+", APPEND_UPDATE),
            Map.entry("a+b", APPEND_UPDATE));

    private FileOpenModes() {}

    static OpenMode parse(String mode) throws QgaException {
        OpenMode m = MODES.get(mode);
        if (m == null) {
            throw new QgaException("invalid file open mode '" + mode + "'");
        }
        return m;
    }
}
