package dev.jqga.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Writes command results (schema records and what they hold) onto a Jackson generator, in the
 * layout QAPI gives them: record components in declaration order, named in kebab-case unless
 * {@link JsonProperty} names them, null or empty-{@link Optional} members left out.
 *
 * <p>Why not jackson-databind's ObjectMapper: building one costs ~55 ms of start-up (its default
 * date format loads the JDK's calendar and locale data) and a few MiB of metaspace, for what
 * records need here: a walk over their components.
 */
final class RecordWriter {
    private RecordWriter() {}

    private static final ClassValue<Member[]> MEMBERS = new ClassValue<>() {
        @Override
        protected Member[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Member[] members = new Member[rc.length];
            for (int i = 0; i < rc.length; i++) {
                Method accessor = rc[i].getAccessor();
                accessor.setAccessible(true); // records nested privately in handler classes
                JsonProperty named = accessor.getAnnotation(JsonProperty.class);
                String name = named != null && !named.value().isEmpty() ? named.value() : kebabCase(rc[i].getName());
                members[i] = new Member(name, accessor);
            }
            return members;
        }
    };

    private record Member(String name, Method accessor) {}

    static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumber(CDouble.g17(((Number) value).doubleValue()));
        } else if (value instanceof BigInteger n) {
            g.writeNumber(n);
        } else if (value instanceof QmpJson.Bytes b) {
            g.writeBinary(b.array(), b.offset(), b.length());
        } else if (value instanceof JsonValue v) {
            QmpJson.writeJson(g, v);
        } else if (value instanceof Enum<?> e) {
            g.writeString(QmpJson.wireName(e));
        } else if (value instanceof Record r) {
            writeRecord(g, r);
        } else if (value instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                write(g, e);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Optional<?> o) {
            write(g, o.orElse(null));
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + value.getClass().getName());
        }
    }

    private static void writeRecord(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        for (Member m : MEMBERS.get(r.getClass())) {
            Object v;
            try {
                v = m.accessor.invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("reading " + r.getClass().getName() + "." + m.name, e);
            }
            if (v instanceof Optional<?> o) {
                v = o.orElse(null);
            }
            if (v != null) {
                g.writeFieldName(m.name);
                write(g, v);
            }
        }
        g.writeEndObject();
    }

    /**
     * {@code outTruncated} is {@code out-truncated}, {@code bufB64} is {@code buf-b64}: a dash
     * before each run of capitals, all lower case (the rule of Jackson's KEBAB_CASE, so names
     * stay what they were when an ObjectMapper wrote them).
     */
    static String kebabCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        boolean prevUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (!prevUpper && sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(c));
                prevUpper = true;
            } else {
                sb.append(c);
                prevUpper = false;
            }
        }
        return sb.toString();
    }
}
