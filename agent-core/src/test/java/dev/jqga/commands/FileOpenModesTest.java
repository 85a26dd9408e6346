package dev.jqga.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jqga.platform.OpenMode;
import dev.jqga.protocol.QgaException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileOpenModesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // mode, read, write, create, truncate, append (fopen(3) semantics)
        "r,    true,  false, false, false, false",
        "rb,   true,  false, false, false, false",
        "w,    false, true,  true,  true,  false",
        "wb,   false, true,  true,  true,  false",
        "a,    false, true,  true,  false, true",
        "ab,   false, true,  true,  false, true",
        "r+,   true,  true,  false, false, false",
        "rb+,  true,  true,  false, false, false",
        "r+b,  true,  true,  false, false, false",
        "w+,   true,  true,  true,  true,  false",
        "wb+,  true,  true,  true,  true,  false",
        "w+b,  true,  true,  true,  true,  false",
        "a+,   true,  true,  true,  false, true",
        "ab+,  true,  true,  true,  false, true",
        "a+b,  true,  true,  true,  false, true"
    })
    void everyModeQemuAcceptsMapsToItsOpenFlags(
            String mode, boolean read, boolean write, boolean create, boolean truncate, boolean append)
            throws QgaException {
        assertThat(FileOpenModes.parse(mode)).isEqualTo(new OpenMode(read, write, create, truncate, append));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "rw", "R", "r+x", "br", "+r", "wx", "a+ ", " r", "rb+b"})
    void otherModesAreRefusedWithQemuText(String mode) {
        assertThatThrownBy(() -> FileOpenModes.parse(mode))
                .isInstanceOf(QgaException.class)
                .hasMessage("invalid file open mode '" + mode + "'");
    }
}
