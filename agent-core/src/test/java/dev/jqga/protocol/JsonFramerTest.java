package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.Dispatcher;
import dev.jqga.dispatch.NoArgs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The framer with QEMU's lexer semantics, fed directly (the contract suite runs it over sockets). */
class JsonFramerTest {

    /** Collects "message:<compact JSON>" and "error:<desc>" in order. */
    private static final class Recorder implements JsonFramer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(JsonValue message) {
            events.add("message:" + render(message));
        }

        @Override
        public void onError(String desc) {
            events.add("error:" + desc);
        }
    }

    private static String render(JsonValue v) {
        try {
            QmpJson json = new QmpJson();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var g = json.generator(out);
            json.writeValue(g, v);
            g.close();
            return out.toString(StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> feed(byte[]... chunks) {
        Recorder r = new Recorder();
        JsonFramer f = new JsonFramer(r);
        for (byte[] c : chunks) {
            f.feed(c, 0, c.length);
        }
        return r.events;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void messagesEndWhenBracesBalanceWithoutNewline() {
        assertThat(feed(b("{\"a\":1}{'b':[2,3]}"))).containsExactly("message:{\"a\": 1}", "message:{\"b\": [2, 3]}");
    }

    @Test
    void aScalarEndsOnlyWhenTheNextByteArrives() {
        assertThat(feed(b("42"))).isEmpty();
        assertThat(feed(b("42"), b(" "))).containsExactly("message:42");
    }

    @Test
    void lexicalErrorsResetAndRecover() {
        assertThat(feed(b("{\"execute\":\"gu\u00FF{\"x\":1}")))
                .containsExactly("error:JSON parse error, stray '\"gu\uFFFD'", "message:{\"x\": 1}");
        assertThat(feed(b("\u0001abc def\t:")))
                .containsExactly("error:JSON parse error, stray '\u0001'", "error:JSON parse error, expecting value");
        assertThat(feed(b("\u00FF\u00FE"))).hasSize(2);
        assertThat(feed(b("01 "))).containsExactly("error:JSON parse error, stray '01'");
    }

    @Test
    void stateSurvivesAcrossFeeds() {
        assertThat(feed(b("{\"execute\":"), b("\"guest-ping\"}")))
                .containsExactly("message:{\"execute\": \"guest-ping\"}");
    }

    @Test
    void nestingLimitIs1024() {
        assertThat(feed(b("[".repeat(1024) + "]".repeat(1024)))).hasSize(1).allMatch(e -> e.startsWith("message:"));
        List<String> over = feed(b("[".repeat(1025) + "]".repeat(1025)));
        assertThat(over.get(0)).isEqualTo("error:JSON nesting depth limit exceeded");
        assertThat(over).hasSize(1026);
    }

    @Test
    void anOversizedTokenDoesNotHoldMoreThan64MiB() {
        byte[] big = new byte[(64 << 20) + 20];
        java.util.Arrays.fill(big, (byte) 'a');
        big[0] = '[';
        big[1] = '"';
        assertThat(feed(big, b("\"]"))).startsWith("error:JSON token size limit exceeded");
    }

    /**
     * Any stream of requests, split at any byte boundaries, gives the same events as the whole
     * stream in one piece (random splits, fixed seed so a failure repeats).
     */
    @Test
    void randomSplitPointsGiveTheSameReplies() {
        String stream = "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":123456789}}"
                + "{'execute':'guest-ping','id':[1.5e3,-0,true,null,\"\\u00e9\\ud83d\\ude00\"]}\n"
                + "\u00FFgarbage{\"a\":\"b\\\"c\"}\u0001xyz\n[[[]]]{\"k\":\"\u00C3\u00A9\"}}"
                + "{\"execute\":\"gu\u00FE{\"x\":01}{\"y\":123} ";
        byte[] all = b(stream);
        List<String> whole = feed(all);
        assertThat(whole).hasSizeGreaterThan(8);
        Random random = new Random(20261202);
        for (int round = 0; round < 2000; round++) {
            List<byte[]> chunks = new ArrayList<>();
            int pos = 0;
            while (pos < all.length) {
                int n = 1 + random.nextInt(Math.min(all.length - pos, round % 3 == 0 ? 3 : 40));
                chunks.add(java.util.Arrays.copyOfRange(all, pos, pos + n));
                pos += n;
            }
            assertThat(feed(chunks.toArray(byte[][]::new)))
                    .as("round %d", round)
                    .isEqualTo(whole);
        }
        // and every single split point
        for (int cut = 1; cut < all.length; cut++) {
            assertThat(feed(
                            java.util.Arrays.copyOfRange(all, 0, cut),
                            java.util.Arrays.copyOfRange(all, cut, all.length)))
                    .as("cut at %d", cut)
                    .isEqualTo(whole);
        }
    }

    @Test
    void dispatchedRepliesAreTheSameForAnySplit() {
        CommandRegistry registry = new CommandRegistry();
        registry.register("guest-ping", NoArgs.class, a -> null);
        Dispatcher d = new Dispatcher(registry, (c, e) -> {});
        byte[] all =
                b("{\"execute\":\"guest-ping\",\"id\":1}{\"execute\":\"nope\"}{\"execute\":\"guest-ping\",\"x\":2}");
        List<String> whole = replies(d, all.length, all);
        for (int cut = 1; cut < all.length; cut++) {
            assertThat(replies(d, cut, all)).isEqualTo(whole);
        }
        assertThat(whole).hasSize(3);
    }

    private static List<String> replies(Dispatcher d, int cut, byte[] all) {
        List<String> out = new ArrayList<>();
        JsonFramer f = new JsonFramer(new JsonFramer.Listener() {
            @Override
            public void onMessage(JsonValue message) {
                out.add(String.valueOf(d.dispatch(message)));
            }

            @Override
            public void onError(String desc) {
                out.add(desc);
            }
        });
        f.feed(all, 0, cut);
        f.feed(all, cut, all.length - cut);
        return out;
    }
}
