package dev.jqga.protocol;

import dev.jqga.protocol.JsonValue.JsonArray;
import dev.jqga.protocol.JsonValue.JsonBool;
import dev.jqga.protocol.JsonValue.JsonNull;
import dev.jqga.protocol.JsonValue.JsonNumber;
import dev.jqga.protocol.JsonValue.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Builds one value from the tokens of one message, with the error texts of QEMU's
 * json-parser.c (the first error wins).
 */
final class JsonTokenParser {

    static final class ParseError extends Exception {
        ParseError(String msg) {
            super("JSON parse error, " + msg, null, false, false);
        }
    }

    /** Strings at least this long that need no unescaping stay views on the arena. */
    private static final int VIEW_THRESHOLD = 1024;

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final byte[] arena;
    private final byte[] types;
    private final int[] starts;
    private final int[] lens;
    private final int count;
    private int pos;

    JsonTokenParser(byte[] arena, byte[] types, int[] starts, int[] lens, int count) {
        this.arena = arena;
        this.types = types;
        this.starts = starts;
        this.lens = lens;
        this.count = count;
    }

    JsonValue parse() throws ParseError {
        return parseValue();
    }

    private int peek() throws ParseError {
        if (pos >= count) {
            throw new ParseError("premature EOI");
        }
        return types[pos];
    }

    private int pop() throws ParseError {
        int t = peek();
        pos++;
        return t;
    }

    private JsonValue parseValue() throws ParseError {
        switch (peek()) {
            case JsonFramer.LCURLY:
                return parseObject();
            case JsonFramer.LSQUARE:
                return parseArray();
            case JsonFramer.INTEGER:
            case JsonFramer.FLOAT:
                return parseNumber(types[pos], starts[pos], lens[pos++]);
            case JsonFramer.STRING:
                return parseString(starts[pos], lens[pos++]);
            case JsonFramer.KEYWORD_TOKEN:
                return parseKeyword(starts[pos], lens[pos++]);
            default:
                throw new ParseError("expecting value");
        }
    }

    private JsonValue parseObject() throws ParseError {
        pos++; // '{'
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        if (peek() == JsonFramer.RCURLY) {
            pos++;
            return JsonObject.ofMutable(members);
        }
        parsePair(members);
        int t = pop();
        while (t != JsonFramer.RCURLY) {
            if (t != JsonFramer.COMMA) {
                throw new ParseError("expected separator in dict");
            }
            parsePair(members);
            t = pop();
        }
        return JsonObject.ofMutable(members);
    }

    private void parsePair(LinkedHashMap<String, JsonValue> members) throws ParseError {
        peek();
        JsonValue key = parseValue();
        if (!(key instanceof JsonString ks)) {
            throw new ParseError("key is not a string in object");
        }
        if (pop() != JsonFramer.COLON) {
            throw new ParseError("missing : in object pair");
        }
        JsonValue value = parseValue();
        if (members.putIfAbsent(ks.value(), value) != null) {
            throw new ParseError("duplicate key");
        }
    }

    private JsonValue parseArray() throws ParseError {
        pos++; // '['
        ArrayList<JsonValue> elements = new ArrayList<>();
        if (peek() == JsonFramer.RSQUARE) {
            pos++;
            return new JsonArray(elements);
        }
        elements.add(parseValue());
        int t = pop();
        while (t != JsonFramer.RSQUARE) {
            if (t != JsonFramer.COMMA) {
                throw new ParseError("expected separator in list");
            }
            elements.add(parseValue());
            t = pop();
        }
        return new JsonArray(elements);
    }

    private JsonValue parseKeyword(int start, int len) throws ParseError {
        String word = new String(arena, start, len, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (word) {
            case "true" -> JsonBool.TRUE;
            case "false" -> JsonBool.FALSE;
            case "null" -> JsonNull.NULL;
            default -> throw new ParseError("invalid keyword '" + word + "'");
        };
    }

    /** Signed 64-bit if it fits, else unsigned 64-bit, else a double (as strtod would read it). */
    static JsonNumber parseNumber(int type, byte[] a, int start, int len) {
        String text = new String(a, start, len, java.nio.charset.StandardCharsets.US_ASCII);
        if (type == JsonFramer.INTEGER) {
            try {
                return JsonNumber.ofLong(Long.parseLong(text));
            } catch (NumberFormatException overflow) {
                if (text.charAt(0) != '-') {
                    BigInteger big = new BigInteger(text);
                    if (big.compareTo(UINT64_MAX) <= 0) {
                        return new JsonNumber(JsonNumber.Kind.U64, big.longValue(), big.doubleValue());
                    }
                }
            }
        }
        return JsonNumber.ofDouble(Double.parseDouble(text));
    }

    private JsonValue parseNumber(int type, int start, int len) {
        return parseNumber(type, arena, start, len);
    }

    private JsonValue parseString(int start, int len) throws ParseError {
        int quote = arena[start];
        int end = start + len - 1; // the closing quote
        int bodyStart = start + 1;
        boolean plain = true;
        for (int i = bodyStart; i < end; i++) {
            int b = arena[i];
            if (b < 0x20 || b == '\\') { // negative: non-ASCII
                plain = false;
                break;
            }
        }
        int bodyLen = end - bodyStart;
        if (plain) {
            if (bodyLen >= VIEW_THRESHOLD) {
                return JsonString.asciiView(arena, bodyStart, bodyLen);
            }
            return JsonString.of(new String(arena, bodyStart, bodyLen, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        StringBuilder sb = new StringBuilder(bodyLen);
        int[] consumed = new int[1];
        int p = bodyStart;
        while (p < end) {
            int b = arena[p] & 0xFF;
            if (b == '\\') {
                int beg = p++;
                int e = arena[p++] & 0xFF;
                switch (e) {
                    case '"', '\'', '\\', '/' -> sb.append((char) e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        long cp = hex4(p, start + len);
                        p += 4;
                        if (cp >= 0xD800
                                && cp <= 0xDBFF
                                && p + 1 < start + len
                                && arena[p] == '\\'
                                && arena[p + 1] == 'u') {
                            long trailing = hex4(p + 2, start + len);
                            if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                                cp = 0x10000 + ((cp & 0x3FF) << 10) | (trailing & 0x3FF);
                                p += 6;
                            } else {
                                cp = -1;
                            }
                        }
                        if (!ModifiedUtf8.isValidCodepoint(cp)) {
                            // QEMU prints the escape as written, up to the end of the token.
                            int shown = Math.min(p, start + len) - beg;
                            throw new ParseError(ModifiedUtf8.lenientCString(arena, beg, shown)
                                    + " is not a valid Unicode character");
                        }
                        sb.appendCodePoint((int) cp);
                    }
                    default -> throw new ParseError("invalid escape sequence in string");
                }
            } else {
                int cp = ModifiedUtf8.decode(arena, p, end, consumed);
                if (cp < 0) {
                    throw new ParseError("invalid UTF-8 sequence in string");
                }
                p += consumed[0];
                sb.appendCodePoint(cp);
            }
        }
        if (quote != '"' && quote != '\'') {
            throw new IllegalStateException("not a string token");
        }
        return JsonString.of(sb.toString());
    }

    /** Four hex digits at {@code p}, or -1 (as cvt4hex: a non-hex digit, including the end). */
    private long hex4(int p, int limit) {
        long cp = 0;
        for (int k = 0; k < 4; k++) {
            if (p + k >= limit) {
                return -1;
            }
            int d = Character.digit(arena[p + k], 16);
            if (d < 0) {
                return -1;
            }
            cp = (cp << 4) | d;
        }
        return cp;
    }
}
