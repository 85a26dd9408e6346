package dev.jqga.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
 * {@code \\uXXXX}, floats as {@code %.17g}. Schema records are serialised by Jackson with kebab-case
 * member names, absent optionals left out.
 */
public final class QmpJson {
    private final ObjectMapper mapper;
    private final JsonFactory factory;

    public QmpJson() {
        SimpleModule module = new SimpleModule("qmp");
        module.addSerializer(Double.class, new DoubleSerializer());
        module.addSerializer(double.class, new DoubleSerializer());
        module.addSerializer(Bytes.class, new BytesSerializer());
        module.addSerializer(JsonValue.class, new JsonValueSerializer());
        module.addSerializer(Enum.class, new EnumSerializer());
        this.mapper = JsonMapper.builder()
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(module)
                .build();
        this.factory = mapper.getFactory();
        // an echoed id may nest as deep as the framer allows (1024); Jackson stops at 1000
        factory.setStreamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                .maxNestingDepth(JsonFramer.MAX_NESTING + 1)
                .build());
        factory.setCharacterEscapes(new QemuEscapes());
        // An echoed id may be nested as deep as the framer allows (1024); Jackson's default write
        // limit (1000) would fail such a reply, and the writer would take it for a lost client.
        factory.setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(2 * JsonFramer.MAX_NESTING)
                .build());
    }

    /** A generator on {@code out} that writes QEMU's layout; closing it does not close {@code out}. */
    public JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = factory.createGenerator(out);
        g.setPrettyPrinter(new QemuSeparators());
        return g;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Writes any result value (record, list, number, string, map, {@link JsonValue}). */
    public void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value instanceof JsonValue v) {
            writeJson(g, v);
        } else if (value instanceof Long n) { // guest-sync's reply: spare the mapper's per-call set-up
            g.writeNumber(n);
        } else {
            mapper.writeValue(g, value);
        }
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

    private static final class BytesSerializer extends JsonSerializer<Bytes> {
        @Override
        public void serialize(Bytes b, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeBinary(b.array(), b.offset(), b.length());
        }
    }

    private static final class DoubleSerializer extends JsonSerializer<Double> {
        @Override
        public void serialize(Double d, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeNumber(CDouble.g17(d));
        }
    }

    private static final class JsonValueSerializer extends JsonSerializer<JsonValue> {
        @Override
        public void serialize(JsonValue v, JsonGenerator g, SerializerProvider p) throws IOException {
            writeJson(g, v);
        }
    }

    /** QAPI enum values are the constant names in lower case with '-' for '_'. */
    @SuppressWarnings("rawtypes")
    private static final class EnumSerializer extends JsonSerializer<Enum> {
        @Override
        public void serialize(Enum e, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(wireName(e));
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
