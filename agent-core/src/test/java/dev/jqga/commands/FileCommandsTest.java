package dev.jqga.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.log.Log;
import dev.jqga.platform.Platform;
import dev.jqga.protocol.Base64Data;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.PayloadBuffer;
import dev.jqga.protocol.QgaException;
import dev.jqga.schema.GuestFileRead;
import dev.jqga.schema.GuestFileWhence;
import dev.jqga.schema.QGASeek;
import dev.jqga.server.PersistentState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file family over the plain-Java files every platform falls back to (the Linux files are
 * covered by the black-box suite), on real files in a temporary directory.
 */
class FileCommandsTest {
    @TempDir
    Path dir;

    private FileCommands files;

    @BeforeEach
    void setUp() throws Exception {
        Platform generic = new Platform() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public boolean supported() {
                return true;
            }
        };
        files = new FileCommands(
                new CommandRegistry(),
                PersistentState.load(dir, false),
                generic.files(),
                new PayloadBuffer(),
                new Log(System.err, false));
    }

    @Test
    void writeSeekReadRoundTrip() throws Exception {
        long h = files.open(new FileCommands.OpenArgs(dir.resolve("f").toString(), "w+"));
        assertThat(h).isEqualTo(1000);
        assertThat(files.write(new FileCommands.WriteArgs(h, b64("aGVsbG8="), null))
                        .count())
                .isEqualTo(5);
        assertThat(files.read(new FileCommands.ReadArgs(h, null)).eof()).isTrue();
        assertThat(files.seek(new FileCommands.SeekArgs(h, 1, new GuestFileWhence(null, QGASeek.SET)))
                        .position())
                .isEqualTo(1);
        GuestFileRead r = files.read(new FileCommands.ReadArgs(h, 4L));
        assertThat(text(r)).isEqualTo("ello");
        assertThat(r.eof()).isFalse();
        files.close(new FileCommands.HandleArgs(h));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))))
                .isEqualTo("rw-rw-rw-");
    }

    @Test
    void aReadBoundedByTheFileAllocatesWhatTheFileHas() throws Exception {
        Files.writeString(dir.resolve("small"), "0123456789");
        long h = files.open(new FileCommands.OpenArgs(dir.resolve("small").toString(), null));
        GuestFileRead r = files.read(new FileCommands.ReadArgs(h, FileCommands.MAX_READ_COUNT));
        assertThat(r.count()).isEqualTo(10);
        assertThat(r.eof()).isTrue();
        assertThat(r.bufB64().array().length).isEqualTo(11);
    }

    @Test
    void wrongDirectionAndUnknownHandlesUseQemuTexts() throws Exception {
        Files.writeString(dir.resolve("ro"), "x");
        long h = files.open(new FileCommands.OpenArgs(dir.resolve("ro").toString(), "r"));
        assertThatThrownBy(() -> files.write(new FileCommands.WriteArgs(h, b64("aGk="), null)))
                .isInstanceOf(QgaException.class)
                .hasMessage("failed to write to file: Bad file descriptor");
        long w = files.open(new FileCommands.OpenArgs(dir.resolve("wo").toString(), "a"));
        assertThatThrownBy(() -> files.read(new FileCommands.ReadArgs(w, null)))
                .hasMessage("failed to read file: Bad file descriptor");
        assertThatThrownBy(() -> files.flush(new FileCommands.HandleArgs(7)))
                .hasMessage("handle '7' has not been found");
        assertThatThrownBy(() ->
                        files.open(new FileCommands.OpenArgs(dir.resolve("nope").toString(), "r")))
                .hasMessage("failed to open file '" + dir.resolve("nope") + "' (mode: 'r'): No such file or directory");
    }

    @Test
    void appendWritesAtTheEndWhateverThePosition() throws Exception {
        Files.writeString(dir.resolve("log"), "12345");
        long h = files.open(new FileCommands.OpenArgs(dir.resolve("log").toString(), "a+"));
        files.seek(new FileCommands.SeekArgs(h, 0, new GuestFileWhence(0L, null)));
        files.write(new FileCommands.WriteArgs(h, b64("aGk="), null));
        files.close(new FileCommands.HandleArgs(h));
        assertThat(Files.readString(dir.resolve("log"))).isEqualTo("12345hi");
    }

    private static Base64Data b64(String s) {
        return new Base64Data(JsonString.of(s));
    }

    private static String text(GuestFileRead r) {
        return new String(
                Arrays.copyOfRange(
                        r.bufB64().array(), r.bufB64().offset(), r.bufB64().length()),
                StandardCharsets.ISO_8859_1);
    }
}
