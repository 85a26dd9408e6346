package dev.jqga.protocol;

import java.util.Arrays;

/**
 * Splits a byte stream into JSON messages with the semantics of QEMU's JSON lexer and streamer
 * (qobject/json-lexer.c, json-streamer.c), which every host of qemu-ga is written against:
 *
 * <ul>
 *   <li>no delimiter: a message ends when its braces and brackets balance (or a scalar ends);
 *   <li>a lexical error (0xFF, 0xFE, a stray byte) is reported at once with the token text so
 *       far, throws away the partial message, and skips input until a structural character or a
 *       control byte;
 *   <li>per message at most 64 MiB of tokens, 2 Mi tokens and nesting depth 1024;
 *   <li>state survives across {@link #feed} calls (and across client reconnects).
 * </ul>
 *
 * Token bytes are kept in one arena array per message so that a large string stays a view on it
 * (see {@link JsonString}). Not thread-safe: one framer per agent, fed by its reader thread.
 */
public final class JsonFramer {

    /** Receives each complete message or each error, in input order. */
    public interface Listener {
        void onMessage(JsonValue message);

        void onError(String desc);
    }

    static final int MAX_TOKEN_SIZE = 64 << 20;
    static final int MAX_TOKEN_COUNT = 2 << 20;
    static final int MAX_NESTING = 1024;
    private static final int SHRINK_ABOVE = 1 << 20;
    /** The arena never grows past this: one byte more than any message can hold. */
    private static final int ARENA_CAP = MAX_TOKEN_SIZE + 2;

    // Lexer states.
    private static final int START = 0;
    private static final int DQ_STRING = 1;
    private static final int DQ_ESCAPE = 2;
    private static final int SQ_STRING = 3;
    private static final int SQ_ESCAPE = 4;
    private static final int ZERO = 5;
    private static final int NEG = 6;
    private static final int NONZERO = 7;
    private static final int MANTISSA = 8;
    private static final int MANTISSA_DIGITS = 9;
    private static final int EXP_E = 10;
    private static final int EXP_SIGN = 11;
    private static final int EXP_DIGITS = 12;
    private static final int KEYWORD = 13;
    private static final int RECOVERY = 14;

    // Token types.
    static final byte LCURLY = 1;
    static final byte RCURLY = 2;
    static final byte LSQUARE = 3;
    static final byte RSQUARE = 4;
    static final byte COLON = 5;
    static final byte COMMA = 6;
    static final byte INTEGER = 7;
    static final byte FLOAT = 8;
    static final byte KEYWORD_TOKEN = 9;
    static final byte STRING = 10;
    /** A token cut off by the lexer at 64 MiB; it always trips the size limit. */
    static final byte OVERSIZED = 11;

    private final Listener listener;
    private int state = START;

    private byte[] arena = new byte[4096];
    private int arenaLen;
    private int tokenStart;
    /** Bytes of the current token that did not fit under {@link #ARENA_CAP}. */
    private long dropped;

    private byte[] types = new byte[64];
    private int[] starts = new int[64];
    private int[] lens = new int[64];
    private int tokenCount;
    private long tokenSize;
    private int braceCount;
    private int bracketCount;

    public JsonFramer(Listener listener) {
        this.listener = listener;
    }

    public void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int b = buf[i] & 0xFF;
            switch (state) {
                case DQ_STRING, SQ_STRING -> {
                    // Fast path: copy a run of ordinary string bytes at once.
                    int quote = state == DQ_STRING ? '"' : '\'';
                    int j = i;
                    // Never let one token run past the 64 MiB cut-off QEMU applies byte by byte.
                    int limit = (int) Math.min(end, i + (long) MAX_TOKEN_SIZE + 1 - tokenLength());
                    while (j < limit) {
                        int c = buf[j] & 0xFF;
                        if (c < 0x20 || c > 0xFD || c == quote || c == '\\') {
                            break;
                        }
                        j++;
                    }
                    if (j > i) {
                        appendRun(buf, i, j - i);
                        i = j;
                        checkTokenLength();
                        continue;
                    }
                    append(b);
                    i++;
                    if (b == quote) {
                        emitToken(STRING);
                    } else if (b == '\\') {
                        state = state == DQ_STRING ? DQ_ESCAPE : SQ_ESCAPE;
                        checkTokenLength();
                    } else {
                        lexError();
                    }
                }
                case DQ_ESCAPE, SQ_ESCAPE -> {
                    append(b);
                    i++;
                    if (b >= 0x20 && b <= 0xFD) {
                        state = state == DQ_ESCAPE ? DQ_STRING : SQ_STRING;
                        checkTokenLength();
                    } else {
                        lexError();
                    }
                }
                case RECOVERY -> {
                    if (endsRecovery(b)) {
                        state = START; // re-lex this byte
                    } else {
                        i++;
                    }
                }
                case START -> {
                    i++;
                    startToken(b);
                }
                default -> {
                    if (continuesNumberOrKeyword(b)) {
                        append(b);
                        i++;
                        checkTokenLength();
                    } else if (terminatesByLookahead(b)) {
                        emitToken(
                                state == KEYWORD ? KEYWORD_TOKEN : state == ZERO || state == NONZERO ? INTEGER : FLOAT);
                        // byte not consumed: re-lexed from START
                    } else {
                        append(b);
                        i++;
                        lexError();
                    }
                }
            }
        }
    }

    private static boolean endsRecovery(int b) {
        if (b == '\t') {
            return false;
        }
        return b < 0x20 || b >= 0xFE || b == '[' || b == ']' || b == '{' || b == '}' || b == ':' || b == ',';
    }

    private void startToken(int b) {
        tokenStart = arenaLen;
        switch (b) {
            case ' ', '\t', '\r', '\n' -> {}
            case '{' -> single(b, LCURLY);
            case '}' -> single(b, RCURLY);
            case '[' -> single(b, LSQUARE);
            case ']' -> single(b, RSQUARE);
            case ':' -> single(b, COLON);
            case ',' -> single(b, COMMA);
            case '"' -> begin(b, DQ_STRING);
            case '\'' -> begin(b, SQ_STRING);
            case '0' -> begin(b, ZERO);
            case '-' -> begin(b, NEG);
            default -> {
                if (b >= '1' && b <= '9') {
                    begin(b, NONZERO);
                } else if (b >= 'a' && b <= 'z') {
                    begin(b, KEYWORD);
                } else {
                    append(b);
                    lexError();
                }
            }
        }
    }

    private void single(int b, byte type) {
        append(b);
        emitToken(type);
    }

    private void begin(int b, int newState) {
        append(b);
        state = newState;
    }

    /** The transitions that consume a byte inside a number or keyword. */
    private boolean continuesNumberOrKeyword(int b) {
        boolean digit = b >= '0' && b <= '9';
        switch (state) {
            case ZERO:
                if (b == '.') {
                    state = MANTISSA;
                    return true;
                }
                return false;
            case NEG:
                if (b == '0') {
                    state = ZERO;
                    return true;
                }
                if (b >= '1' && b <= '9') {
                    state = NONZERO;
                    return true;
                }
                return false;
            case NONZERO:
                if (digit) {
                    return true;
                }
                if (b == '.') {
                    state = MANTISSA;
                    return true;
                }
                if (b == 'e' || b == 'E') {
                    state = EXP_E;
                    return true;
                }
                return false;
            case MANTISSA:
                if (digit) {
                    state = MANTISSA_DIGITS;
                    return true;
                }
                return false;
            case MANTISSA_DIGITS:
                if (digit) {
                    return true;
                }
                if (b == 'e' || b == 'E') {
                    state = EXP_E;
                    return true;
                }
                return false;
            case EXP_E:
                if (b == '+' || b == '-') {
                    state = EXP_SIGN;
                    return true;
                }
                if (digit) {
                    state = EXP_DIGITS;
                    return true;
                }
                return false;
            case EXP_SIGN:
                if (digit) {
                    state = EXP_DIGITS;
                    return true;
                }
                return false;
            case EXP_DIGITS:
                return digit;
            case KEYWORD:
                return b >= 'a' && b <= 'z';
            default:
                throw new IllegalStateException("state " + state);
        }
    }

    /**
     * States that end a token when the next byte cannot continue it; a digit after a leading
     * zero ("01") is an error instead, with both digits in the token.
     */
    private boolean terminatesByLookahead(int b) {
        return switch (state) {
            case ZERO -> b < '0' || b > '9';
            case NONZERO, MANTISSA_DIGITS, EXP_DIGITS, KEYWORD -> true;
            default -> false;
        };
    }

    private void append(int b) {
        if (arenaLen == arena.length && !grow(1)) {
            dropped++;
            return;
        }
        arena[arenaLen++] = (byte) b;
    }

    private void appendRun(byte[] buf, int off, int len) {
        int fit = len;
        if (arenaLen + len > arena.length && !grow(len)) {
            fit = arena.length - arenaLen;
            dropped += len - fit;
        }
        System.arraycopy(buf, off, arena, arenaLen, fit);
        arenaLen += fit;
    }

    /**
     * Makes room for {@code extra} more bytes; false when the arena is at its cap. A message whose
     * tokens pass 64 MiB fails the size limit anyway, so bytes beyond the cap are only counted:
     * memory stays bounded whatever a host sends.
     */
    private boolean grow(int extra) {
        if ((long) arenaLen + extra > MAX_TOKEN_SIZE + 1 && tokenStart > 0) {
            // The earlier tokens and this one pass 64 MiB together: the message is bound to fail
            // (size limit when this token ends, or a lexical error that quotes this token only),
            // so the earlier tokens' bytes are dropped and this token keeps its exact text.
            int current = arenaLen - tokenStart;
            System.arraycopy(arena, tokenStart, arena, 0, current);
            arenaLen = current;
            tokenStart = 0;
            if (arenaLen + extra <= arena.length) {
                return true;
            }
        }
        if (arena.length >= ARENA_CAP) {
            return false;
        }
        long want = Math.max((long) arena.length * 2, (long) arenaLen + extra);
        arena = Arrays.copyOf(arena, (int) Math.min(want, ARENA_CAP));
        return arenaLen + extra <= arena.length;
    }

    /** The current token's length, bytes beyond the arena cap included. */
    private long tokenLength() {
        return arenaLen - tokenStart + dropped;
    }

    /** QEMU cuts a single token off once it exceeds 64 MiB and hands it on as it is. */
    private boolean checkTokenLength() {
        if (tokenLength() > MAX_TOKEN_SIZE) {
            emitToken(OVERSIZED);
            return true;
        }
        return false;
    }

    private void lexError() {
        String text = ModifiedUtf8.lenientCString(arena, tokenStart, arenaLen - tokenStart);
        dropped = 0;
        state = RECOVERY;
        fail("JSON parse error, stray '" + text + "'");
    }

    private void emitToken(byte type) {
        state = START;
        long len = tokenLength();
        dropped = 0;
        switch (type) {
            case LCURLY -> braceCount++;
            case RCURLY -> braceCount--;
            case LSQUARE -> bracketCount++;
            case RSQUARE -> bracketCount--;
            default -> {}
        }
        if (tokenSize + len + 1 > MAX_TOKEN_SIZE) {
            fail("JSON token size limit exceeded");
            return;
        }
        if (tokenCount + 1 > MAX_TOKEN_COUNT) {
            fail("JSON token count limit exceeded");
            return;
        }
        if (braceCount + bracketCount > MAX_NESTING) {
            fail("JSON nesting depth limit exceeded");
            return;
        }
        addToken(type, tokenStart, (int) len);
        tokenSize += len;
        if ((braceCount > 0 || bracketCount > 0) && braceCount >= 0 && bracketCount >= 0) {
            return;
        }
        JsonValue message;
        try {
            message = new JsonTokenParser(arena, types, starts, lens, tokenCount).parse();
        } catch (JsonTokenParser.ParseError e) {
            fail(e.getMessage());
            return;
        }
        reset();
        listener.onMessage(message);
    }

    /**
     * True when no partial message is held (every byte fed so far has been answered) and no large
     * arena is kept for a run of large messages: the moment to give memory back.
     */
    public boolean betweenMessages() {
        return state == START && arenaLen == 0 && arena.length <= SHRINK_ABOVE;
    }

    private void addToken(byte type, int start, int len) {
        if (tokenCount == types.length) {
            int n = tokenCount * 2;
            types = Arrays.copyOf(types, n);
            starts = Arrays.copyOf(starts, n);
            lens = Arrays.copyOf(lens, n);
        }
        types[tokenCount] = type;
        starts[tokenCount] = start;
        lens[tokenCount] = len;
        tokenCount++;
    }

    private void fail(String desc) {
        reset();
        listener.onError(desc);
    }

    /**
     * Drops the current message. A large arena is kept while messages keep filling at least a
     * quarter of it (a host streaming a file in 16 MiB writes would otherwise regrow it from 4 KiB
     * for every request), and released at the first small message, so an idle agent stays small.
     */
    private void reset() {
        braceCount = 0;
        bracketCount = 0;
        tokenCount = 0;
        tokenSize = 0;
        dropped = 0;
        if (arena.length > SHRINK_ABOVE && arenaLen < arena.length / 4) {
            arena = new byte[4096];
        }
        arenaLen = 0;
        tokenStart = 0;
        if (types.length > 4096) {
            types = new byte[64];
            starts = new int[64];
            lens = new int[64];
        }
    }
}
