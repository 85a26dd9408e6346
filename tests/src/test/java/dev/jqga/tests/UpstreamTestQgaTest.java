package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import dev.jqga.tests.harness.SharedAgents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * QEMU's own tests/unit/test-qga.c scenarios that this issue covers (1-4, 13-17, 19-21), as that
 * file runs them: one shared agent on a unix socket, its temp dir as statedir and cwd, SIGTERM at
 * the end with exit status 0. Where Debian's qemu-ga 7.2 differs from the 10.x spec (guest-info
 * version, the disabled text, no {@code -a}, no {@code -c}), the test says so and holds jqga to 10.x.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamTestQgaTest {
    private static final SharedAgents AGENTS = new SharedAgents();

    @AfterAll
    static void stopAgents() throws Exception {
        AGENTS.close();
    }

    /** 1. /qga/sync-delimited: a raw 0xFF, then guest-sync-delimited; skip to the 0xFF; the id comes back. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void syncDelimited(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.send(new byte[] {(byte) 0xFF});
            long id = c.sync();
            assertThat(id).isPositive();
        }
    }

    /** 2. /qga/sync. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void sync(AgentKind kind) throws IOException {
        long id = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-sync", "{\"id\": " + id + "}");
            assertThat(r.has("error")).isFalse();
            assertThat(r.path("return").asLong()).isEqualTo(id);
        }
    }

    /** 3. /qga/ping. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void ping(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-ping");
            assertThat(r.has("error")).isFalse();
            assertThat(r.path("return").isObject()).isTrue();
        }
    }

    /** 4. /qga/info: the version is the build's (qemu-ga 7.2: its Debian version; jqga: 10.0.0, the protocol level). */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void info(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-info").path("return");
            String expected = kind == AgentKind.JQGA ? "10.0.0" : "7.2";
            assertThat(r.path("version").asText()).startsWith(expected);
            assertThat(r.path("supported_commands").isArray()).isTrue();
        }
    }

    /** 13. /qga/get-time. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void getTime(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-get-time");
            assertThat(r.path("return").isIntegralNumber()).isTrue();
            assertThat(r.path("return").asLong()).isPositive();
        }
    }

    /** 14. /qga/id. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void id(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = QgaClient.JSON.readTree(c.call("{'execute': 'guest-ping', 'id': 1}"));
            assertThat(r.has("error")).isFalse();
            assertThat(r.path("id").asInt()).isEqualTo(1);
        }
    }

    /** 15. /qga/invalid-oob. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void invalidOob(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = QgaClient.JSON.readTree(c.call("{\"exec-oob\": \"guest-ping\"}"));
            assertThat(r.path("error").path("class").asText()).isEqualTo("GenericError");
        }
    }

    /** 16. /qga/invalid-cmd. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void invalidCmd(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-invalid-cmd");
            assertThat(r.path("error").path("class").asText()).isEqualTo("CommandNotFound");
            assertThat(r.path("error").path("desc").asText()).isNotEmpty();
        }
    }

    /** 17. /qga/invalid-args. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void invalidArgs(AgentKind kind) throws IOException {
        try (QgaClient c = AGENTS.get(kind).connect()) {
            c.sync();
            JsonNode r = c.execute("guest-ping", "{\"foo\": 42}");
            assertThat(r.path("error").path("class").asText()).isEqualTo("GenericError");
            assertThat(r.path("error").path("desc").asText()).isEqualTo("Parameter 'foo' is unexpected");
        }
    }

    /**
     * 19. /qga/blockedrpcs, with the exact 10.x text for jqga (7.2 says only "has been disabled").
     * The upstream test also expects guest-get-fsinfo to work; it is not implemented in jqga yet,
     * so guest-info's enabled flags are checked instead for the unblocked commands.
     */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void blockedRpcs(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind, "-b", "guest-ping,guest-get-time");
                QgaClient c = agent.connect()) {
            c.sync();
            for (String cmd : List.of("guest-ping", "guest-get-time")) {
                JsonNode e = c.execute(cmd).path("error");
                assertThat(e.path("class").asText()).isEqualTo("CommandNotFound");
                assertThat(e.path("desc").asText()).contains("has been disabled");
                if (kind == AgentKind.JQGA) {
                    assertThat(e.path("desc").asText())
                            .isEqualTo("Command " + cmd + " has been disabled: the command is not allowed");
                }
            }
            Map<String, Boolean> enabled = enabledFlags(c);
            assertThat(enabled).containsEntry("guest-ping", false).containsEntry("guest-get-time", false);
            assertThat(enabled).containsEntry("guest-sync", true).containsEntry("guest-info", true);
            assertThat(agent.stop()).isZero();
        }
    }

    /** 20. /qga/allowedrpcs: qemu-ga 7.2 has no {@code -a} (it came in 8.1), so jqga only. */
    @Test
    void allowedRpcs() throws Exception {
        try (AgentProcess agent = AgentProcess.start(AgentKind.JQGA, "-a", "guest-ping,guest-get-time");
                QgaClient c = agent.connect()) {
            c.send(new byte[] {(byte) 0xFF});
            assertThat(c.readLine()).contains("JSON parse error");
            assertThat(c.execute("guest-ping").has("return")).isTrue();
            assertThat(c.execute("guest-get-time").has("return")).isTrue();
            JsonNode e = c.execute("guest-info").path("error");
            assertThat(e.path("class").asText()).isEqualTo("CommandNotFound");
            assertThat(e.path("desc").asText())
                    .isEqualTo("Command guest-info has been disabled: the command is not allowed");
            assertThat(agent.stop()).isZero();
        }
    }

    /** jqga reads block/allow lists split on ',' and ';' (qemu-ga: ',' only; our documented decision). */
    @Test
    void rpcListsSplitOnCommaAndSemicolon() throws Exception {
        try (AgentProcess agent = AgentProcess.start(AgentKind.JQGA, "-b", "guest-ping;guest-get-time");
                QgaClient c = agent.connect()) {
            c.sync();
            assertThat(enabledFlags(c)).containsEntry("guest-ping", false).containsEntry("guest-get-time", false);
        }
    }

    /** 21. /qga/config: {@code -D} with QGA_CONF pointing at upstream's test-qga-config. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void config(AgentKind kind) throws Exception {
        Path dir = Files.createTempDirectory("qga-config-");
        Path conf = dir.resolve("test-qga-config");
        Files.writeString(
                conf,
                "[general]\n"
                        + "daemon=false\n"
                        + "method=virtio-serial\n"
                        + "path=/path/to/org.qemu.guest_agent.0\n"
                        + "pidfile=/var/foo/qemu-ga.pid\n"
                        + "statedir=/var/state\n"
                        + "verbose=true\n"
                        + "retry-path=false\n"
                        + "block-rpcs=guest-ping;guest-get-time\n");
        List<String> cmd = new ArrayList<>(kind.command());
        cmd.add("-D");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("QGA_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(err).isEmpty();
        assertThat(out).startsWith("[general]\n");
        assertThat(out)
                .contains("daemon=false\n", "method=virtio-serial\n", "path=/path/to/org.qemu.guest_agent.0\n")
                .contains("pidfile=/var/foo/qemu-ga.pid\n", "statedir=/var/state\n", "verbose=true\n");
        String blocked = out.lines()
                .filter(l -> l.startsWith("block-rpcs="))
                .findFirst()
                .orElseThrow()
                .substring("block-rpcs=".length());
        List<String> items = List.of(blocked.split(";"));
        if (kind == AgentKind.JQGA) {
            // jqga splits the file's list on ';' too and writes it back with ','
            items = List.of(blocked.split("[,;]"));
        }
        assertThat(items).containsExactlyInAnyOrder("guest-ping", "guest-get-time");
        Files.delete(conf);
        Files.delete(dir);
    }

    static Map<String, Boolean> enabledFlags(QgaClient c) throws IOException {
        Map<String, Boolean> out = new java.util.HashMap<>();
        for (JsonNode cmd : c.execute("guest-info").path("return").path("supported_commands")) {
            out.put(cmd.path("name").asText(), cmd.path("enabled").asBoolean());
        }
        return out;
    }
}
