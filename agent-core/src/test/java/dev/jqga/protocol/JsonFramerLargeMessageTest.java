package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages at and past the 64 MiB token limit. Once the earlier tokens and the current one pass
 * the limit the framer keeps only the current token (so its buffer stays near 64 MiB and fits
 * the agent's heap); what it reports must not change: the expectations below are what the framer
 * reported before it dropped those bytes.
 */
class JsonFramerLargeMessageTest {
    private static final int MIB = 1 << 20;

    private final List<String> events = new ArrayList<>();
    private final JsonFramer framer = new JsonFramer(new JsonFramer.Listener() {
        @Override
        public void onMessage(JsonValue message) {
            JsonValue args = ((JsonValue.JsonObject) message).get("arguments");
            JsonValue pad = ((JsonValue.JsonObject) args).get("pad");
            events.add("message id=" + ((JsonValue.JsonNumber) ((JsonValue.JsonObject) args).get("id")).bits()
                    + (pad == null ? "" : " pad=" + ((JsonString) pad).length()));
        }

        @Override
        public void onError(String desc) {
            events.add(desc.length() > 40 ? desc.substring(0, 40) + "... (" + desc.length() + ")" : desc);
        }
    });

    private void feed(byte[] in) {
        for (int off = 0; off < in.length; off += 64 * 1024) {
            framer.feed(in, off, Math.min(64 * 1024, in.length - off));
        }
    }

    private static byte[] repeat(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A request whose {@code a} array already holds 63 strings of just under 1 MiB. */
    private static ByteArrayOutputStream sixtyThreeMiBOfTokens() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"a\":["));
        for (int i = 0; i < 63; i++) {
            o.write('"');
            o.writeBytes(repeat(MIB - 100, 'B'));
            o.writeBytes(ascii("\","));
        }
        return o;
    }

    @Test
    void aStringJustUnderTheLimitIsDelivered() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"pad\":\""));
        o.writeBytes(repeat(64 * MIB - 200, 'E'));
        o.writeBytes(ascii("\"}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":6}}"));
        feed(o.toByteArray());
        assertThat(events).containsExactly("message id=1 pad=" + (64 * MIB - 200), "message id=6");
    }

    @Test
    void aStringPastTheLimitIsCutOff() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"pad\":\""));
        o.writeBytes(repeat(64 * MIB + 10, 'D'));
        o.writeBytes(ascii("\"}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5}}"));
        feed(o.toByteArray());
        assertThat(events)
                .containsExactly(
                        "JSON token size limit exceeded",
                        "JSON parse error, stray 'D'",
                        "JSON parse error, expecting value",
                        "JSON parse error, expecting value",
                        "message id=5");
    }

    @Test
    void manyTokensThenAHugeOneFailOnTheSizeLimit() {
        ByteArrayOutputStream o = sixtyThreeMiBOfTokens();
        o.write('"');
        o.writeBytes(repeat(64 * MIB + 10, 'C'));
        o.writeBytes(ascii("\"]}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":2}}"));
        feed(o.toByteArray());
        assertThat(events)
                .containsExactly(
                        "JSON token size limit exceeded",
                        "JSON parse error, stray 'C'",
                        "JSON parse error, expecting value",
                        "JSON parse error, expecting value",
                        "JSON parse error, expecting value",
                        "message id=2");
    }

    @Test
    void manyTokensThenALexicalErrorQuoteTheCurrentTokenOnly() {
        ByteArrayOutputStream o = sixtyThreeMiBOfTokens();
        o.write('"');
        o.writeBytes(repeat(2 * MIB, 'C'));
        o.write(0xFF);
        o.writeBytes(ascii("CC\"]}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":3}}"));
        feed(o.toByteArray());
        assertThat(events)
                .containsExactly(
                        "JSON parse error, stray '\"CCCCCCCCCCCCCC... (" + (2 * MIB + 28) + ")",
                        "JSON parse error, expecting value",
                        "JSON parse error, expecting value",
                        "JSON parse error, expecting value",
                        "message id=3");
    }
}
