package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests at qemu's 64 MiB token limit against the built agent as the launcher starts it (its
 * 256 MiB heap): the agent answers exactly as qemu-ga does and keeps serving, where it used to
 * die of OutOfMemoryError. The requests are sent to both agents and the replies compared.
 */
class LargeRequestLimitsTest {
    private static final int MIB = 1 << 20;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** Sends {@code request} and returns the first {@code lines} replies, then checks the agent still syncs. */
    private static List<String> replies(AgentKind kind, byte[] request, int lines) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind)) {
            List<String> out = new ArrayList<>();
            try (QgaClient c = agent.connect()) {
                c.send(request);
                for (int i = 0; i < lines; i++) {
                    out.add(c.readLine());
                }
                c.sync();
            } catch (Exception e) {
                agent.keepLogs();
                throw e;
            }
            return out;
        }
    }

    private static void sameAsQemuGa(byte[] request, int lines) throws Exception {
        List<String> reference = replies(AgentKind.QEMU_GA, request, lines);
        assertThat(replies(AgentKind.JQGA, request, lines)).isEqualTo(reference);
    }

    @Test
    void aStringPastTheLimit() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"pad\":\""));
        o.writeBytes(repeat(64 * MIB + 10, 'D'));
        o.writeBytes(ascii("\"}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5}}"));
        sameAsQemuGa(o.toByteArray(), 5);
    }

    @Test
    void sixtyThreeMiBOfTokensThenAStringPastTheLimit() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"a\":["));
        for (int i = 0; i < 63; i++) {
            o.write('"');
            o.writeBytes(repeat(MIB - 100, 'B'));
            o.writeBytes(ascii("\","));
        }
        o.write('"');
        o.writeBytes(repeat(64 * MIB + 10, 'C'));
        o.writeBytes(ascii("\"]}}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":2}}"));
        sameAsQemuGa(o.toByteArray(), 6);
    }
}
