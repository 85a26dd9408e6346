package dev.jqga.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * How a contract test compares replies. Expected lines are written as jqga sends them (qemu-ga
 * 10.x's bytes, members in schema order). jqga must match byte for byte; qemu-ga orders members
 * by its hash table, so for it a line that differs must have the same length and parse to the
 * same JSON (member order being the only difference).
 */
public final class Replies {
    private Replies() {}

    public static void assertMatch(AgentKind kind, List<String> expected, List<String> actual) {
        assertThat(actual).as("reply count from " + kind).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertMatch(kind, expected.get(i), actual.get(i));
        }
    }

    public static void assertMatch(AgentKind kind, String expected, String actual) {
        if (kind == AgentKind.JQGA || expected.equals(actual)) {
            assertThat(actual).as("reply from " + kind).isEqualTo(expected);
            return;
        }
        assertThat(actual.length()).as("length of " + actual).isEqualTo(expected.length());
        assertThat(parse(actual)).as("JSON of " + actual).isEqualTo(parse(expected));
    }

    private static JsonNode parse(String line) {
        String json = line.startsWith("\u00FF") ? line.substring(1) : line;
        try {
            return QgaClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** A JSON string as QEMU writes it: short escapes, everything else outside printable ASCII as uppercase \\uXXXX. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7F) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The error reply qemu-ga sends: {@code {"error": {"class": "GenericError", "desc": ...}}}. */
    public static String error(String desc) {
        return error("GenericError", desc, null);
    }

    /** An error reply with a class, a desc (JSON-escaped here) and an optional id (raw JSON). */
    public static String error(String cls, String desc, String id) {
        String quoted = quote(desc);
        return "{\"error\": {\"class\": \"" + cls + "\", \"desc\": " + quoted + "}"
                + (id == null ? "" : ", \"id\": " + id) + "}";
    }
}
