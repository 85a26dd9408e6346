package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Results as QAPI lays them out, written by {@link RecordWriter} through {@link QmpJson}'s generator. */
class RecordWriterTest {
    enum Kind {
        IPV4,
        SCSI_DISK
    }

    record Address(@JsonProperty("ip-address-type") Kind type, String ipAddress, long prefix) {}

    record Interface(
            String name,
            @JsonProperty("hardware-address") String mac,
            List<Address> ipAddresses,
            Optional<Long> rxBytes,
            Boolean outTruncated,
            QmpJson.Bytes bufB64,
            double load1m) {}

    private record Hidden(int x) {}

    private static String write(Object value) throws IOException {
        QmpJson json = new QmpJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.generator(out)) {
            json.writeValue(g, value);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void recordsNestedInListsWithNamesNullsAndOptionals() throws IOException {
        Interface i = new Interface(
                "eth0",
                "52:54:00:12:34:56",
                List.of(new Address(Kind.IPV4, "10.0.2.15", 24)),
                Optional.empty(),
                null,
                new QmpJson.Bytes("hi!".getBytes(StandardCharsets.US_ASCII), 0, 3),
                0.5);
        assertThat(write(i))
                .isEqualTo("{\"name\": \"eth0\", \"hardware-address\": \"52:54:00:12:34:56\", \"ip-addresses\":"
                        + " [{\"ip-address-type\": \"ipv4\", \"ip-address\": \"10.0.2.15\", \"prefix\": 24}],"
                        + " \"buf-b64\": \"aGkh\", \"load1m\": 0.5}");
    }

    @Test
    void presentOptionalsAndFalseAreWritten() throws IOException {
        Interface i = new Interface("lo", null, List.of(), Optional.of(7L), false, null, -1.0);
        assertThat(write(i))
                .isEqualTo("{\"name\": \"lo\", \"ip-addresses\": [], \"rx-bytes\": 7, \"out-truncated\": false,"
                        + " \"load1m\": -1}");
    }

    @Test
    void scalarsMapsEnumsAndPrivateRecords() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", Kind.SCSI_DISK);
        m.put("n", null);
        assertThat(write(m)).isEqualTo("{\"k\": \"scsi-disk\", \"n\": null}");
        assertThat(write(new Hidden(3))).isEqualTo("{\"x\": 3}");
        assertThat(write(List.of(1, "é", true))).isEqualTo("[1, \"\\u00E9\", true]");
        assertThat(write(-5L)).isEqualTo("-5");
    }

    @Test
    void kebabCaseAsJacksonHadIt() {
        assertThat(RecordWriter.kebabCase("outTruncated")).isEqualTo("out-truncated");
        assertThat(RecordWriter.kebabCase("bufB64")).isEqualTo("buf-b64");
        assertThat(RecordWriter.kebabCase("ipAddress")).isEqualTo("ip-address");
        assertThat(RecordWriter.kebabCase("name")).isEqualTo("name");
        assertThat(RecordWriter.kebabCase("totalBytesIO")).isEqualTo("total-bytes-io");
    }

    @Test
    void aValueWithNoJsonFormIsAProgrammingError() {
        assertThatThrownBy(() -> write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}
