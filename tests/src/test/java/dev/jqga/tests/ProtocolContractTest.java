package dev.jqga.tests;

import static dev.jqga.tests.harness.Replies.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.QgaClient;
import dev.jqga.tests.harness.Replies;
import dev.jqga.tests.harness.SharedAgents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire contract, written once and run against jqga and against the real qemu-ga (Debian's
 * 7.2, whose JSON layer and dispatcher are the same as 10.x's): framing, lexical errors and
 * recovery, the three limits, parser state across reconnects, request validation, id echo,
 * argument errors, reply formatting and guest-sync-delimited. Expected lines are qemu-ga 10.x's
 * bytes with members in schema order ({@link Replies}); after every exchange a fence proves that
 * nothing else was sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolContractTest {
    private static final SharedAgents AGENTS = new SharedAgents();
    private static final String PING = "{\"execute\":\"guest-ping\"}";
    private static final String OK = "{\"return\": {}}";
    private static final String NOT_OBJECT = error("QMP input must be a JSON object");
    private static final String EXPECTING_VALUE = error("JSON parse error, expecting value");
    private static final String STRAY_FF = error("JSON parse error, stray '\uFFFD'");
    private static final int MIB = 1 << 20;

    @AfterAll
    static void stopAgents() throws Exception {
        AGENTS.close();
    }

    /** Sends {@code input} on a new connection, checks the replies, then fences. */
    private static void exchange(AgentKind kind, byte[] input, String... expected) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.send(input);
            Replies.assertMatch(kind, List.of(expected), c.readLines(expected.length));
            c.fence();
        }
    }

    private static void exchange(AgentKind kind, String input, String... expected) throws IOException {
        exchange(kind, bytes(input), expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] repeat(String s, int n) {
        return bytes(s.repeat(n));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- framing ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void requestNeedsNoNewline(AgentKind kind) throws IOException {
        exchange(kind, PING, OK);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void manyRequestsInOneWriteAreAnsweredInOrder(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}\n {\"execute\":\"guest-ping\",\"id\":2}\r\n\t"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":3}}",
                "{\"return\": 1}",
                "{\"return\": {}, \"id\": 2}",
                "{\"return\": 3}");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void oneRequestSplitOverManyWrites(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            for (byte b : bytes("{\"execute\": \"guest-sync\", \"arguments\": {\"id\": 77}}")) {
                c.send(new byte[] {b});
                Thread.sleep(2);
            }
            Replies.assertMatch(kind, "{\"return\": 77}", c.readLine());
            c.fence();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void singleQuotedStringsAndTheQuoteEscape(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{'execute':'guest-sync','arguments':{'id':7}}{\"execute\":\"guest-ping\",\"id\":\"it\\'s\"}",
                "{\"return\": 7}",
                "{\"return\": {}, \"id\": \"it's\"}");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void eachFfAndFeByteIsItsOwnError(AgentKind kind) throws IOException {
        exchange(kind, new byte[] {(byte) 0xFF}, STRAY_FF);
        exchange(kind, new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF}, STRAY_FF, STRAY_FF, STRAY_FF);
        exchange(kind, concat(new byte[] {(byte) 0xFF}, bytes(PING)), STRAY_FF, OK);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void ffThrowsAwayThePartialRequest(AgentKind kind) throws IOException {
        exchange(
                kind,
                concat(bytes("{\"execute\":\"guest-ping\""), new byte[] {(byte) 0xFF}, bytes(PING)),
                STRAY_FF,
                OK);
        exchange(
                kind,
                concat(bytes("{\"execute\":\"gu"), new byte[] {(byte) 0xFF}, bytes(PING)),
                error("JSON parse error, stray '\"gu\uFFFD'"),
                OK);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void recoveryAfterALexicalError(AgentKind kind) throws IOException {
        // a control byte in a string: recovery skips to the final '}', which is then a stray value
        exchange(
                kind,
                "{\"execute\":\"guest-ping\", \"id\": \"\u0001\"}",
                error("JSON parse error, stray '\"\u0001'"),
                EXPECTING_VALUE);
        // printable bytes and TAB are skipped; ':' ends recovery and is lexed again
        exchange(kind, "\u0001abc \tdef:", error("JSON parse error, stray '\u0001'"), EXPECTING_VALUE);
        // a newline ends recovery harmlessly; '{' starts a new request
        exchange(kind, "\u0001abc\n" + PING, error("JSON parse error, stray '\u0001'"), OK);
        exchange(kind, "\u0001abc" + PING, error("JSON parse error, stray '\u0001'"), OK);
        // uppercase is not a keyword
        exchange(
                kind,
                "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":True}}",
                error("JSON parse error, stray 'T'"),
                EXPECTING_VALUE,
                EXPECTING_VALUE);
        exchange(kind, "garbage" + PING, error("JSON parse error, invalid keyword 'garbage'"), OK);
        exchange(kind, PING + "}", OK, EXPECTING_VALUE);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void numberAndKeywordLexing(AgentKind kind) throws IOException {
        exchange(kind, "01 ", error("JSON parse error, stray '01'"));
        exchange(kind, "-01 ", error("JSON parse error, stray '-01'"));
        exchange(kind, "1.e5 ", error("JSON parse error, stray '1.e'"));
        exchange(kind, "1e ", error("JSON parse error, stray '1e '"));
        exchange(kind, "[0e5] ", error("JSON parse error, expected separator in list"));
        exchange(kind, "[-0.5] [1E2] [0.5e+3] ", NOT_OBJECT, NOT_OBJECT, NOT_OBJECT);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void parserErrorTexts(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"a\" 1}{1:2}{\"a\":1 \"b\":2}[1 2]{\"a\":1,\"a\":2}[1,]",
                error("JSON parse error, missing : in object pair"),
                error("JSON parse error, key is not a string in object"),
                error("JSON parse error, expected separator in dict"),
                error("JSON parse error, expected separator in list"),
                error("JSON parse error, duplicate key"),
                EXPECTING_VALUE);
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":\"\\q\"}{\"execute\":\"guest-ping\",\"id\":\"\u00C3\"}",
                error("JSON parse error, invalid escape sequence in string"),
                error("JSON parse error, invalid UTF-8 sequence in string"));
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":\"\\uFFFF\"}{\"execute\":\"guest-ping\",\"id\":\"\\ud800x\"}"
                        + "{\"execute\":\"guest-ping\",\"id\":\"\\udc00\"}",
                error("JSON parse error, \\uFFFF is not a valid Unicode character"),
                error("JSON parse error, \\ud800 is not a valid Unicode character"),
                error("JSON parse error, \\udc00 is not a valid Unicode character"));
    }

    // ---- the three limits ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void nestingDepth1024IsAcceptedAnd1025Rejected(AgentKind kind) throws IOException {
        exchange(kind, concat(repeat("[", 1024), repeat("]", 1024)), NOT_OBJECT);
        String[] expected = new String[1026];
        expected[0] = error("JSON nesting depth limit exceeded");
        Arrays.fill(expected, 1, expected.length, EXPECTING_VALUE); // every ']' left over
        exchange(kind, concat(repeat("[", 1025), repeat("]", 1025)), expected);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void tokenCountLimitIs2MiTokens(AgentKind kind) throws IOException {
        // '[' + 1048575 elements and their commas + ']' = 2,097,151 tokens: fine
        exchange(kind, concat(bytes("["), repeat("1,", 1048574), bytes("1]")), NOT_OBJECT);
        // one element more: the closing ']' is token 2,097,153
        exchange(
                kind, concat(bytes("["), repeat("1,", 1048575), bytes("1]")), error("JSON token count limit exceeded"));
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void tokenSizeLimitIs64MiB(AgentKind kind) throws IOException {
        // tokens '[' + a string of 64 MiB - 3 bytes + ']' (+1 for QEMU's check) = 64 MiB: fine
        exchange(kind, concat(bytes("[\""), repeat("a", 64 * MIB - 5), bytes("\"]")), NOT_OBJECT);
        exchange(
                kind,
                concat(bytes("[\""), repeat("a", 64 * MIB - 4), bytes("\"]")),
                error("JSON token size limit exceeded"));
        // one token over 64 MiB is cut by the lexer; the rest is lexed afresh (a keyword, then an
        // open string that the fence's 0xFF ends)
        exchange(
                kind,
                concat(bytes("[\""), repeat("a", 64 * MIB + 9), bytes("\"]")),
                error("JSON token size limit exceeded"),
                error("JSON parse error, invalid keyword 'aaaaaaaaa'"));
    }

    // ---- connections ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void parserStateSurvivesAReconnect(AgentKind kind) throws IOException {
        try (QgaClient a = AGENTS.get(kind).connect()) {
            a.fence();
            a.send("{\"execute\":");
        }
        try (QgaClient b = AGENTS.get(kind).connect()) {
            b.send("\"guest-ping\", \"id\": \"joined\"}");
            Replies.assertMatch(kind, "{\"return\": {}, \"id\": \"joined\"}", b.readLine());
            b.fence();
        }
        // the lexer's recovery state too: the next client's leading "abc" is skipped silently
        try (QgaClient a = AGENTS.get(kind).connect()) {
            a.send("\u0001");
            Replies.assertMatch(kind, error("JSON parse error, stray '\u0001'"), a.readLine());
        }
        try (QgaClient b = AGENTS.get(kind).connect()) {
            b.send("abc\n{\"execute\":\"guest-ping\",\"id\":2}");
            Replies.assertMatch(kind, "{\"return\": {}, \"id\": 2}", b.readLine());
            b.fence();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aSecondClientWaitsUntilTheFirstLeaves(AgentKind kind) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (QgaClient first = AGENTS.get(kind).connect()) {
            first.fence();
            QgaClient second = AGENTS.get(kind).connect();
            try (second) {
                second.send("{\"execute\":\"guest-ping\",\"id\":\"second\"}");
                Future<String> reply = pool.submit(second::readLine);
                assertThat(waitFor(reply, 700))
                        .as("second client served while the first is connected")
                        .isNull();
                first.send("{\"execute\":\"guest-ping\",\"id\":\"first\"}");
                Replies.assertMatch(kind, "{\"return\": {}, \"id\": \"first\"}", first.readLine());
                first.close();
                Replies.assertMatch(kind, "{\"return\": {}, \"id\": \"second\"}", reply.get(20, TimeUnit.SECONDS));
                second.fence();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String waitFor(Future<String> f, long millis) throws Exception {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    // ---- request validation (qmp_dispatch) ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void onlyObjectsAreRequests(AgentKind kind) throws IOException {
        exchange(kind, "[]\"str\"42 true null ", NOT_OBJECT, NOT_OBJECT, NOT_OBJECT, NOT_OBJECT, NOT_OBJECT);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void requestMembersAreChecked(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{}{\"id\":7}{\"execute\":1,\"arguments\":[],\"id\":3}{\"arguments\":null,\"execute\":\"guest-ping\"}"
                        + "{\"execute\":\"guest-ping\",\"arguments\":[]}",
                error("QMP input lacks member 'execute'"),
                error("GenericError", "QMP input lacks member 'execute'", "7"),
                error("GenericError", "QMP input member 'execute' must be a string", "3"),
                error("QMP input member 'arguments' must be an object"),
                error("QMP input member 'arguments' must be an object"));
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void execOobAndOtherMembersAreUnexpected(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"exec-oob\":\"guest-ping\"}{\"execute\":\"guest-ping\",\"foo\":1,\"id\":4}"
                        + "{\"execute\":1,\"exec-oob\":\"x\"}",
                error("QMP input member 'exec-oob' is unexpected"),
                error("GenericError", "QMP input member 'foo' is unexpected", "4"),
                // members are checked in QDict hash order: exec-oob before execute
                error("QMP input member 'exec-oob' is unexpected"));
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void idOfEveryJsonTypeIsEchoed(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":1}{\"execute\":\"guest-ping\",\"id\":\"x\"}"
                        + "{\"execute\":\"guest-ping\",\"id\":1.0}{\"execute\":\"guest-ping\",\"id\":-0}"
                        + "{\"execute\":\"guest-ping\",\"id\":0.1}{\"execute\":\"guest-ping\",\"id\":1e10}"
                        + "{\"execute\":\"guest-ping\",\"id\":123456789012345678901234}"
                        + "{\"execute\":\"guest-ping\",\"id\":18446744073709551615}"
                        + "{\"execute\":\"guest-ping\",\"id\":18446744073709551616}"
                        + "{\"execute\":\"guest-ping\",\"id\":true}{\"execute\":\"guest-ping\",\"id\":null}"
                        + "{\"execute\":\"guest-ping\",\"id\":{\"b\":1,\"a\":[true,false,null]}}",
                "{\"return\": {}, \"id\": 1}",
                "{\"return\": {}, \"id\": \"x\"}",
                "{\"return\": {}, \"id\": 1}",
                "{\"return\": {}, \"id\": 0}",
                "{\"return\": {}, \"id\": 0.10000000000000001}",
                "{\"return\": {}, \"id\": 10000000000}",
                "{\"return\": {}, \"id\": 1.2345678901234569e+23}",
                "{\"return\": {}, \"id\": 18446744073709551615}",
                "{\"return\": {}, \"id\": 1.8446744073709552e+19}",
                "{\"return\": {}, \"id\": true}",
                "{\"return\": {}, \"id\": null}",
                // jqga keeps the members of an echoed id in the order they came
                "{\"return\": {}, \"id\": {\"b\": 1, \"a\": [true, false, null]}}");
        // an id as deep as the framer allows (1024 levels with the request object) comes back whole
        String deep = "[".repeat(1023) + "]".repeat(1023);
        exchange(kind, "{\"execute\":\"guest-ping\",\"id\":" + deep + "}", "{\"return\": {}, \"id\": " + deep + "}");
        // %.17g lets infinities out unquoted, as qemu-ga does
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":1e400}{\"execute\":\"guest-ping\",\"id\":-1e400}",
                "{\"return\": {}, \"id\": inf}",
                "{\"return\": {}, \"id\": -inf}");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void idIsEchoedOnErrorsButNotOnParseErrors(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-bogus\",\"id\":5}",
                error("CommandNotFound", "The command guest-bogus has not been found", "5"));
        exchange(kind, concat(bytes("{\"execute\":\"guest-ping\",\"id\":5"), new byte[] {(byte) 0xFF}), STRAY_FF);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void unknownCommandIsCommandNotFound(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-no-such-command\"}",
                error("CommandNotFound", "The command guest-no-such-command has not been found", null));
    }

    // ---- argument binding ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void argumentErrorsInQemusWords(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-sync\"}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"x\"}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1.5}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":true}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":18446744073709551615}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"foo\":2}}"
                        + "{\"execute\":\"guest-ping\",\"arguments\":{\"foo\":42},\"id\":9}",
                error("Parameter 'id' is missing"),
                error("Invalid parameter type for 'id', expected: integer"),
                error("Invalid parameter type for 'id', expected: integer"),
                error("Invalid parameter type for 'id', expected: integer"),
                error("Invalid parameter type for 'id', expected: integer"),
                error("Parameter 'foo' is unexpected"),
                error("GenericError", "Parameter 'foo' is unexpected", "9"));
    }

    // ---- replies ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void stringsAreEscapedAsQemuWritesThem(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":\"\\u007f\\u0001\\b\\f\\n\\r\\t/\\\"\\\\\u00C3\u00A9\\ud83d\\ude00\\u0000\"}",
                "{\"return\": {}, \"id\": \"\\u007F\\u0001\\b\\f\\n\\r\\t/\\\"\\\\\\u00E9\\uD83D\\uDE00\\u0000\"}");
        // raw 4-byte UTF-8 comes back as an uppercase surrogate pair
        exchange(
                kind,
                "{\"execute\":\"guest-ping\",\"id\":\"\u00F0\u009F\u0098\u0080\"}",
                "{\"return\": {}, \"id\": \"\\uD83D\\uDE00\"}");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void guestSyncDelimitedPrefixesItsReplyWithFf(AgentKind kind) throws IOException {
        exchange(
                kind,
                "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":\"x\"}}"
                        + "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":9}}"
                        + "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":10}}",
                // a binding error never reaches the handler: no prefix
                error("Invalid parameter type for 'id', expected: integer"),
                "\u00FF{\"return\": 9}",
                "{\"return\": 10}");
    }
}
