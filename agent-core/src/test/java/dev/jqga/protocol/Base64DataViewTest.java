package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Large base64 arguments are checked straight on the framer's bytes; that path must accept,
 * reject and decode exactly as the char path does (GLib's rules: newlines skipped, '=' anywhere
 * counts as zero, a trailing partial group dropped).
 */
class Base64DataViewTest {

    /** The decoded bytes, or the error text. */
    private static String decode(JsonString text) {
        try {
            return Base64.getEncoder().encodeToString(new Base64Data(text).decode());
        } catch (QgaException e) {
            return "error: " + e.desc();
        }
    }

    private static String viaView(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return decode(JsonString.asciiView(b, 2, s.length()));
    }

    private static String viaChars(String s) {
        return decode(JsonString.of(s));
    }

    @Test
    void knownCases() {
        assertThat(viaView("QUJD")).isEqualTo(viaChars("QUJD")).isEqualTo("QUJD");
        assertThat(viaView("QUI=")).isEqualTo(viaChars("QUI=")).isEqualTo("QUI=");
        assertThat(viaView("QQ==")).isEqualTo(viaChars("QQ==")).isEqualTo("QQ==");
        assertThat(viaView("QU\nJD")).isEqualTo(viaChars("QU\nJD")).isEqualTo("QUJD");
        assertThat(viaView("QU*D")).isEqualTo(viaChars("QU*D")).isEqualTo("error: " + Base64Data.INVALID);
        assertThat(viaView("")).isEqualTo(viaChars("")).isEqualTo("");
    }

    @Test
    void viewAndCharsAgreeOnRandomText() {
        Random r = new Random(7);
        String alphabet = "QUJDab+/09==\n\n*- ";
        for (int round = 0; round < 200_000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(14);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(viaView(s)).as("%s", s.replace("\n", "\\n")).isEqualTo(viaChars(s));
        }
    }

    @Test
    void aLargeCanonicalPayloadDecodes() {
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        String b64 = Base64.getEncoder().encodeToString(data);
        assertThat(viaView(b64)).isEqualTo(b64);
    }
}
