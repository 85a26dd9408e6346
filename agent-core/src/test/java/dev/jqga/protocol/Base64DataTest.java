package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GLib's lenient base64, checked against what qemu-ga 7.2 wrote for the same strings. */
class Base64DataTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
        "'', ''",
        "a, ''",
        "QQ, ''",
        "aGk, ''",
        "aG==, 68",
        "aGVsbG8, 68656c",
        "aGVsbG8=aGk=, 68656c6c6f6869",
        "a=b=, 6806",
        "ab=c, 691c",
        "a=bc, 6806dc",
        "ab==, 69",
        "a===, 68",
        "====, 00",
        "=abc, 01a6dc",
        "abc=, 69b7",
        "Q===QUJD, 40414243",
        "QR==, 41",
        "QUJ=, 4142"
    })
    void decodesAsGlib(String text, String hex) throws QgaException {
        assertThat(hex(view(text).decode())).isEqualTo(hex);
        assertThat(view(text).decodedLength()).isEqualTo(hex.length() / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aGk\n=", "aG\nk=", "\naGk=\n"})
    void newlinesAreSkipped(String text) throws QgaException {
        assertThat(view(text).decode()).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(new Base64Data(JsonString.of(text)).decode()).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aGV$sbG8=", "aGk= ", "aGk=\r\n", "aG-k", "aGk\u00e9"})
    void otherCharactersFailTheWholeArgument(String text) {
        assertThatThrownBy(() -> new Base64Data(JsonString.of(text)).decodedLength())
                .hasMessage("Base64 data contains invalid characters");
    }

    @ParameterizedTest(name = "chunk {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 1000, 3 << 10, 1 << 20})
    void chunkedDecodingYieldsTheSameBytes(int chunk) throws QgaException {
        byte[] data = new byte[100_003];
        new Random(7).nextBytes(data);
        String b64 = Base64.getMimeEncoder().encodeToString(data).replace("\r", "") + "\nQQ==";
        Base64Data d = view(b64);
        long length = d.decodedLength();
        assertThat(length).isEqualTo(data.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.decodeTo(length, new byte[chunk], out::write);
        byte[] got = out.toByteArray();
        assertThat(got).hasSize(data.length + 1);
        assertThat(java.util.Arrays.copyOf(got, data.length)).isEqualTo(data);
        assertThat(got[data.length]).isEqualTo((byte) 0x41);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 299, 300})
    void decodingStopsAtTheLimit(int limit) throws QgaException {
        byte[] data = new byte[300];
        new Random(1).nextBytes(data);
        Base64Data d = view(Base64.getEncoder().encodeToString(data));
        d.decodedLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.decodeTo(limit, new byte[7], out::write);
        assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOf(data, limit));
    }

    /** As the framer hands over a large plain string: a view on the request's bytes. */
    private static Base64Data view(String text) {
        byte[] raw = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return new Base64Data(JsonString.asciiView(raw, 2, text.length()));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
