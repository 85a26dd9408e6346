package dev.jqga.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value, as QEMU's QObject model has it: objects keep insertion order (the hash
 * order QEMU iterates in is computed by {@link QdictOrder} where it matters), numbers keep
 * whether they were signed, unsigned or floating.
 */
public sealed interface JsonValue
        permits JsonValue.JsonObject,
                JsonValue.JsonArray,
                JsonValue.JsonBool,
                JsonValue.JsonNull,
                JsonValue.JsonNumber,
                JsonString {

    /** The JSON type name QEMU uses in "expected: ..." texts does not come from here; see the binder. */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public static final JsonObject EMPTY = new JsonObject(Map.of());

        public JsonValue get(String key) {
            return members.get(key);
        }

        static JsonObject ofMutable(LinkedHashMap<String, JsonValue> m) {
            return new JsonObject(m);
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {}

    record JsonBool(boolean value) implements JsonValue {
        public static final JsonBool TRUE = new JsonBool(true);
        public static final JsonBool FALSE = new JsonBool(false);
    }

    enum JsonNull implements JsonValue {
        NULL
    }

    /**
     * A number. {@code kind} is I64 when the text fit a signed 64-bit integer, U64 when it only
     * fit unsigned, DOUBLE otherwise (QEMU's QNum).
     */
    record JsonNumber(Kind kind, long bits, double dbl) implements JsonValue {
        public enum Kind {
            I64,
            U64,
            DOUBLE
        }

        public static JsonNumber ofLong(long v) {
            return new JsonNumber(Kind.I64, v, v);
        }

        public static JsonNumber ofDouble(double d) {
            return new JsonNumber(Kind.DOUBLE, 0, d);
        }

        /** As qnum_get_try_int: only a signed integer qualifies. */
        public boolean fitsInt64() {
            return kind == Kind.I64;
        }

        /** As qnum_get_try_uint: a non-negative signed integer or an unsigned one. */
        public boolean fitsUint64() {
            return kind == Kind.U64 || (kind == Kind.I64 && bits >= 0);
        }
    }
}
