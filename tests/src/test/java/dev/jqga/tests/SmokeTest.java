package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The distribution starts, syncs, answers a ping and stops with status 0 on SIGTERM. */
class SmokeTest {
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void syncPingAndCleanExit(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind)) {
            try (QgaClient c = agent.connect()) {
                c.sync();
                assertThat(c.call("{\"execute\":\"guest-ping\",\"id\":1}")).isEqualTo("{\"return\": {}, \"id\": 1}");
            }
            assertThat(agent.stop()).isZero();
        }
    }
}
