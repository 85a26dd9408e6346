package dev.jqga.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.jqga.protocol.JsonValue.JsonArray;
import dev.jqga.protocol.JsonValue.JsonBool;
import dev.jqga.protocol.JsonValue.JsonNumber;
import dev.jqga.protocol.JsonValue.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * How replies are written, byte for byte as qemu-ga writes them: one compact line, separators
 * {@code ": "} and {@code ", "}, every code point outside printable ASCII as uppercase
 * {@code \\uXXXX}, floats as {@code %.17g}. Results are written by {@link RecordWriter}: kebab-case
 * member names, absent members left out.
 */
public final class QmpJson {
    private final JsonFactory factory;

    public QmpJson() {
        this.factory = new JsonFactoryBuilder()
                .characterEscapes(new QemuEscapes())
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                // An echoed id may be nested as deep as the framer allows (1024); Jackson's default
                // write limit (1000) would fail such a reply, and the writer would take it for a
                // lost client.
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(2 * JsonFramer.MAX_NESTING)
                        .build())
                .build();
    }

    /** A generator on {@code out} that writes QEMU's layout; closing it does not close {@code out}. */
    public JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = factory.createGenerator(out);
        g.setPrettyPrinter(new QemuSeparators());
        return g;
    }

    /** Writes any result value (record, list, number, string, map, {@link JsonValue}). */
    public void writeValue(JsonGenerator g, Object value) throws IOException {
        RecordWriter.write(g, value);
    }

    static void writeJson(JsonGenerator g, JsonValue v) throws IOException {
        if (v instanceof JsonObject o) {
            g.writeStartObject();
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                g.writeFieldName(e.getKey());
                writeJson(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof JsonArray a) {
            g.writeStartArray();
            for (JsonValue e : a.elements()) {
                writeJson(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof JsonString s) {
            g.writeString(s.value());
        } else if (v instanceof JsonNumber n) {
            switch (n.kind()) {
                case I64 -> g.writeNumber(n.bits());
                case U64 -> g.writeNumber(Long.toUnsignedString(n.bits()));
                default -> g.writeNumber(CDouble.g17(n.dbl()));
            }
        } else if (v instanceof JsonBool b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }

    /** A byte range written as base64 straight into the output, with no intermediate String. */
    public record Bytes(byte[] array, int offset, int length) {
        public static Bytes of(byte[] a) {
            return new Bytes(a, 0, a.length);
        }
    }

    public static String wireName(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Also escape DEL, as QEMU's writer does (everything from 0x7F up). */
    private static final class QemuEscapes extends CharacterEscapes {
        private final int[] ascii;

        QemuEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    /** {@code {"a": 1, "b": [1, 2]}} on one line. */
    private static final class QemuSeparators implements PrettyPrinter {
        @Override
        public void writeRootValueSeparator(JsonGenerator g) {}

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int n) throws IOException {
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int n) throws IOException {
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {}

        @Override
        public void beforeObjectEntries(JsonGenerator g) {}
    }
}
