package dev.jqga.schema;

/** Symbolic whence of guest-file-seek (the schema's {@code QGASeek}). */
public enum QGASeek {
    SET,
    CUR,
    END
}
