package dev.jqga.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One agent of each kind shared by the tests of a class (as test-qga shares one qemu-ga: handle
 * counter and parser state carry over), started on first use and stopped after the class; when a
 * test failed, the agents' directories and logs are kept. Register with {@code @RegisterExtension}.
 * Also the small request helpers the command suites share.
 */
final class AgentsByKind implements AfterEachCallback, AfterAllCallback {
    private final Map<AgentKind, AgentProcess> agents = new EnumMap<>(AgentKind.class);

    AgentProcess get(AgentKind kind) {
        return agents.computeIfAbsent(kind, k -> {
            try {
                return AgentProcess.start(k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    QgaClient connect(AgentKind kind) throws IOException {
        return get(kind).connect();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            agents.values().forEach(AgentProcess::keepLogs);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (AgentProcess a : agents.values()) {
            a.close();
        }
        agents.clear();
    }

    /** The {@code return} member of a reply that must be a success. */
    static JsonNode ok(QgaClient c, String command, String arguments) throws IOException {
        JsonNode reply = c.execute(command, arguments);
        if (!reply.has("return")) {
            throw new AssertionError(command + " " + arguments + " failed: " + reply);
        }
        return reply.get("return");
    }

    /** The {@code desc} of a reply that must be a GenericError. */
    static String error(QgaClient c, String command, String arguments) throws IOException {
        JsonNode reply = c.execute(command, arguments);
        if (!reply.path("error").path("class").asText().equals("GenericError")) {
            throw new AssertionError(command + " " + arguments + " should have failed: " + abbreviate(reply));
        }
        return reply.get("error").get("desc").asText();
    }

    static String abbreviate(JsonNode reply) {
        String s = reply.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
