package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reply can echo an id nested as deep as a request may be (depth 1024 counting the request
 * object): writing it must not hit Jackson's own nesting limit of 1000.
 */
class QmpJsonDeepValueTest {
    @Test
    void anIdNestedToTheFramerLimitIsWritten() throws Exception {
        int depth = JsonFramer.MAX_NESTING - 1; // inside the request object
        JsonValue id = JsonValue.JsonNull.NULL;
        for (int i = 0; i < depth; i++) {
            id = new JsonValue.JsonArray(List.of(id));
        }
        QmpJson json = new QmpJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.generator(out)) {
            g.writeStartObject();
            g.writeFieldName("return");
            g.writeStartObject();
            g.writeEndObject();
            g.writeFieldName("id");
            json.writeValue(g, id);
            g.writeEndObject();
        }
        String text = out.toString(StandardCharsets.US_ASCII);
        assertThat(text).startsWith("{\"return\": {}, \"id\": " + "[".repeat(depth) + "null");
        assertThat(text).endsWith("]".repeat(depth) + "}");
    }
}
