package dev.jqga.tests;

import static dev.jqga.tests.AgentsByKind.error;
import static dev.jqga.tests.AgentsByKind.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * guest-exec and guest-exec-status over the socket, against jqga and qemu-ga 7.2. Where 7.2 is
 * not what 10.x does, the test says so: 7.2 takes capture-output as a boolean only (no modes),
 * wraps spawn failures in "Guest agent command failed, error was '...'", and answers an unknown pid
 * with "Invalid parameter 'pid'" (10.x: "PID ld does not exist", a format bug jqga fixes:
 * "PID &lt;n&gt; does not exist").
 */
class GuestExecTest {
    private static final Base64.Decoder B64 = Base64.getDecoder();
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final AgentsByKind AGENTS = new AgentsByKind();

    // ---- the upstream test-qga scenarios (qga-behaviour.md section 5, items 22 to 25) ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void upstreamGuestExec(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long pid = exec(
                    c, "{\"path\": \"echo\", \"arg\": [\"-n\", \"\\\" test_str \\\"\"], \"capture-output\": true}");
            assertThat(pid).isPositive();
            JsonNode st = waitExited(c, pid);
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(text(st, "out-data")).isEqualTo("\" test_str \"");
        }
    }

    /** 10.x takes the mode "separated"; 7.2 only the boolean true, which means the same. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void upstreamGuestExecSeparated(AgentKind kind) throws Exception {
        String capture = kind == AgentKind.QEMU_GA ? "true" : "\"separated\"";
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode st = run(c, "bash", alternating(), capture);
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(text(st, "out-data")).isEqualTo("stdout\nstdout\n");
            assertThat(text(st, "err-data")).isEqualTo("stderr\nstderr\n");
        }
    }

    /** "merged" does not exist in 7.2. */
    @ParameterizedTest
    @EnumSource(value = AgentKind.class, names = "JQGA")
    void upstreamGuestExecMerged(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode st = run(c, "bash", alternating(), "\"merged\"");
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(text(st, "out-data")).isEqualTo("stdout\nstderr\nstdout\nstderr\n");
            assertThat(st.has("err-data")).isFalse();
            assertThat(st.has("err-truncated")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void upstreamGuestExecInvalid(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            assertThat(error(c, "guest-exec", "{\"path\": \"/bin/invalid-cmd42\"}"))
                    .isNotEmpty();
            assertThat(error(c, "guest-exec-status", "{\"pid\": 0}")).isNotEmpty();
        }
    }

    // ---- how the child ended ----

    /** Java's Process cannot tell these apart; qemu-ga and jqga must. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aSignalIsNotAnExitCode(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode killed = run(c, "sh", List.of("-c", "kill -9 $$"), "false");
            assertThat(killed.get("signal").asInt()).isEqualTo(9);
            assertThat(killed.has("exitcode")).isFalse();
            JsonNode exited = run(c, "sh", List.of("-c", "exit 137"), "false");
            assertThat(exited.get("exitcode").asInt()).isEqualTo(137);
            assertThat(exited.has("signal")).isFalse();
            JsonNode term = run(c, "sh", List.of("-c", "kill -TERM $$"), "false");
            assertThat(term.get("signal").asInt()).isEqualTo(15);
            assertThat(run(c, "false", List.of(), "false").get("exitcode").asInt())
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void theRecordGoesWithTheFirstExitedReply(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long pid = exec(c, "{\"path\": \"true\"}");
            JsonNode st = waitExited(c, pid);
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(st.has("out-data")).isFalse();
            assertThat(error(c, "guest-exec-status", "{\"pid\": " + pid + "}")).isEqualTo(unknownPid(kind, pid));
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void anUnknownPidIsAnError(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            assertThat(error(c, "guest-exec-status", "{\"pid\": 0}")).isEqualTo(unknownPid(kind, 0));
            assertThat(error(c, "guest-exec-status", "{\"pid\": -5}")).isEqualTo(unknownPid(kind, -5));
            assertThat(error(c, "guest-exec-status", "{}")).isEqualTo("Parameter 'pid' is missing");
        }
    }

    /** Output is held back until the child has exited; while it runs only "exited": false. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void outputComesOnlyOnceExited(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long pid =
                    exec(c, "{\"path\": \"sh\", \"arg\": [\"-c\", \"echo early; sleep 1\"], \"capture-output\": true}");
            Thread.sleep(200);
            JsonNode running = ok(c, "guest-exec-status", "{\"pid\": " + pid + "}");
            assertThat(running.toString()).isEqualTo("{\"exited\":false}");
            assertThat(text(waitExited(c, pid), "out-data")).isEqualTo("early\n");
        }
    }

    // ---- spawning ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void spawnFailuresUseGlibTexts(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            assertThat(error(c, "guest-exec", "{\"path\": \"/bin/invalid-cmd42\"}"))
                    .isEqualTo(spawnError(kind, "/bin/invalid-cmd42", "No such file or directory"));
            assertThat(error(c, "guest-exec", "{\"path\": \"/tmp\"}"))
                    .isEqualTo(spawnError(kind, "/tmp", "Permission denied"));
            assertThat(error(c, "guest-exec", "{\"path\": \"no-such-program-42\"}"))
                    .isEqualTo(spawnError(kind, "no-such-program-42", "No such file or directory"));
            assertThat(error(c, "guest-exec", "{\"path\": \"\"}"))
                    .isEqualTo(spawnError(kind, "", "No such file or directory"));
            assertThat(error(c, "guest-exec", "{\"path\": \"cat\", \"input-data\": \"a$\"}"))
                    .isEqualTo("Base64 data contains invalid characters");
            assertThat(error(c, "guest-exec", "{\"arg\": [\"x\"]}")).isEqualTo("Parameter 'path' is missing");
        }
    }

    /** env replaces the whole environment, and a bare name is looked up in its PATH. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void envReplacesTheEnvironmentAndItsPathIsSearched(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode st = waitExited(
                    c, exec(c, "{\"path\": \"env\", \"env\": [\"A=1\", \"B=two words\"], \"capture-output\": true}"));
            assertThat(text(st, "out-data")).isEqualTo("A=1\nB=two words\n");
            assertThat(error(c, "guest-exec", "{\"path\": \"echo\", \"env\": [\"PATH=/nonexistent\"]}"))
                    .isEqualTo(spawnError(kind, "echo", "No such file or directory"));
            // no PATH in env: the agent's PATH is used for the lookup
            assertThat(run(c, "echo", List.of("x"), "false", "[]")
                            .get("exitcode")
                            .asInt())
                    .isZero();
            // without env the agent's own environment is passed on
            JsonNode inherited = run(c, "sh", List.of("-c", "echo $PATH"), "true");
            assertThat(text(inherited, "out-data")).isEqualTo(System.getenv("PATH") + "\n");
        }
    }

    /** A script without "#!" runs through /bin/sh, as execvp and GLib do. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aScriptWithoutInterpreterLineRunsThroughSh(AgentKind kind) throws Exception {
        Path script = AGENTS.get(kind).dir().resolve("plain-script");
        Files.writeString(script, "echo from script $1\n");
        script.toFile().setExecutable(true);
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode st = run(c, script.toString(), List.of("arg1"), "true");
            assertThat(text(st, "out-data")).isEqualTo("from script arg1\n");
        }
    }

    /**
     * The child starts with SIGPIPE at its default action (the agent ignores it). jqga also hands
     * on nothing ignored and nothing blocked; qemu-ga passes on whatever mask and ignored signals it
     * was started with (here those of the JVM that runs the tests), which under systemd is the same.
     */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void theChildStartsWithDefaultSignals(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            String status = text(run(c, "cat", List.of("/proc/self/status"), "true"), "out-data");
            if (kind == AgentKind.JQGA) {
                assertThat(status).contains("SigBlk:\t0000000000000000\n").contains("SigIgn:\t0000000000000000\n");
            }
            // yes(1) dies of SIGPIPE (128 + 13) once head has read enough; ignored, it would exit 1
            JsonNode pipe = run(c, "bash", List.of("-c", "yes | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}"), "true");
            assertThat(text(pipe, "out-data")).isEqualTo("141\n");
        }
    }

    /** Neither the channel socket nor an open guest file reaches the child: only 0, 1, 2 and ls's own. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void noAgentDescriptorLeaksIntoTheChild(AgentKind kind) throws Exception {
        Files.writeString(AGENTS.get(kind).dir().resolve("held-open"), "x");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = GuestFileTest.open(c, "held-open", "r");
            String listing = text(run(c, "ls", List.of("/proc/self/fd"), "true"), "out-data");
            assertThat(listing.split("\n")).containsExactly("0", "1", "2", "3");
            String details = text(run(c, "ls", List.of("-l", "/proc/self/fd"), "true"), "out-data");
            assertThat(details).doesNotContain("held-open").doesNotContain("socket:");
            ok(c, "guest-file-close", "{\"handle\": " + h + "}");
        }
    }

    // ---- input and output ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void oneMebibyteOfInputThroughCat(AgentKind kind) throws Exception {
        byte[] input = new byte[1 << 20];
        new Random(3).nextBytes(input);
        try (QgaClient c = AGENTS.connect(kind)) {
            long pid = exec(
                    c,
                    "{\"path\": \"cat\", \"input-data\": \""
                            + Base64.getEncoder().encodeToString(input) + "\", \"capture-output\": true}");
            JsonNode st = waitExited(c, pid);
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(B64.decode(st.get("out-data").asText())).isEqualTo(input);
            assertThat(st.get("out-truncated").asBoolean()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void emptyInputIsAnImmediateEndOfFile(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode st = waitExited(c, exec(c, "{\"path\": \"cat\", \"input-data\": \"\", \"capture-output\": true}"));
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(st.has("out-data")).isFalse();
            // without input-data stdin is /dev/null
            JsonNode devnull = run(c, "sh", List.of("-c", "readlink /proc/self/fd/0"), "true");
            assertThat(text(devnull, "out-data")).isEqualTo("/dev/null\n");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void outputBeyond16MiBIsTruncatedAndFlagged(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long pid = exec(
                    c,
                    "{\"path\": \"head\", \"arg\": [\"-c\", \"20971520\", \"/dev/zero\"], \"capture-output\": true}");
            JsonNode st = waitExited(c, pid);
            assertThat(st.get("exitcode").asInt()).isZero();
            assertThat(B64.decode(st.get("out-data").asText())).hasSize(16 << 20);
            assertThat(st.get("out-truncated").asBoolean()).isTrue();
            JsonNode exact = run(c, "head", List.of("-c", "16777216", "/dev/zero"), "true");
            assertThat(exact.get("out-truncated").asBoolean()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void withoutCaptureNothingIsReturned(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            for (String capture : new String[] {null, "false"}) {
                JsonNode st = run(c, "sh", List.of("-c", "echo out; echo err >&2"), capture);
                assertThat(st.has("out-data") || st.has("err-data") || st.has("out-truncated"))
                        .isFalse();
            }
        }
    }

    /** The mode enum is 8.0+; 7.2 refuses it as "expected: boolean". */
    @ParameterizedTest
    @EnumSource(value = AgentKind.class, names = "JQGA")
    void everyCaptureMode(AgentKind kind) throws Exception {
        List<String> both = List.of("-c", "echo out; echo err >&2");
        try (QgaClient c = AGENTS.connect(kind)) {
            JsonNode none = run(c, "sh", both, "\"none\"");
            assertThat(none.has("out-data") || none.has("err-data")).isFalse();
            JsonNode out = run(c, "sh", both, "\"stdout\"");
            assertThat(text(out, "out-data")).isEqualTo("out\n");
            assertThat(out.has("err-data")).isFalse();
            JsonNode err = run(c, "sh", both, "\"stderr\"");
            assertThat(err.has("out-data")).isFalse();
            assertThat(text(err, "err-data")).isEqualTo("err\n");
            JsonNode sep = run(c, "sh", both, "\"separated\"");
            assertThat(text(sep, "out-data")).isEqualTo("out\n");
            assertThat(text(sep, "err-data")).isEqualTo("err\n");
            assertThat(sep.get("err-truncated").asBoolean()).isFalse();
            JsonNode merged = run(c, "sh", both, "\"merged\"");
            assertThat(text(merged, "out-data")).isEqualTo("out\nerr\n");
            assertThat(error(c, "guest-exec", "{\"path\": \"true\", \"capture-output\": \"all\"}"))
                    .isEqualTo("Parameter 'capture-output' does not accept value 'all'");
            assertThat(error(c, "guest-exec", "{\"path\": \"true\", \"capture-output\": 1}"))
                    .isEqualTo("Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
        }
    }

    // ---- many children ----

    /**
     * 1000 short children, half of them never asked about: none stays a zombie, and the agent's
     * thread count does not grow (jqga has one watcher thread for all of them).
     */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aThousandShortChildrenLeaveNoZombieAndNoThread(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind);
                QgaClient c = agent.connect()) {
            waitExited(c, exec(c, "{\"path\": \"true\"}"));
            long threads = threadCount(agent);
            List<Long> polled = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                long pid = exec(c, "{\"path\": \"true\"}");
                if (i % 2 == 0) {
                    polled.add(pid);
                }
            }
            for (long pid : polled) {
                waitExited(c, pid);
            }
            Instant deadline = Instant.now().plus(EXIT_TIMEOUT);
            while (!zombiesOf(agent).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(zombiesOf(agent)).isEmpty();
            assertThat(threadCount(agent)).isEqualTo(threads);
        }
    }

    /**
     * qemu-ga's audit lines (to syslog there, whatever -v says), in jqga's log at info level: seen
     * with -v, quiet by default.
     */
    @ParameterizedTest
    @EnumSource(value = AgentKind.class, names = "JQGA")
    void auditLinesAreLoggedWhenVerbose(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind, "-v");
                QgaClient c = agent.connect()) {
            long pid = exec(c, "{\"path\": \"echo\", \"arg\": [\"-n\", \"hi there\"]}");
            waitExited(c, pid);
            long h = GuestFileTest.open(c, "/etc/hostname", "r");
            ok(c, "guest-file-close", "{\"handle\": " + h + "}");
            assertThat(agent.log())
                    .contains("info: guest-exec called: \"echo -n hi there\"")
                    .contains("info: guest-exec-status called, pid: " + pid)
                    .contains("info: guest-file-open called, filepath: /etc/hostname, mode: r")
                    .contains("info: guest-file-open, handle: " + h)
                    .contains("info: guest-file-close called, handle: " + h);
        }
        try (AgentProcess quiet = AgentProcess.start(kind);
                QgaClient c = quiet.connect()) {
            waitExited(c, exec(c, "{\"path\": \"true\"}"));
            assertThat(quiet.log()).doesNotContain("guest-exec called");
        }
    }

    // ---- helpers ----

    private static List<String> alternating() {
        return List.of("-c", "for i in 1 2; do echo stdout; echo stderr >&2; done");
    }

    private static long exec(QgaClient c, String arguments) throws IOException {
        return ok(c, "guest-exec", arguments).get("pid").asLong();
    }

    private static JsonNode run(QgaClient c, String path, List<String> args, String capture) throws Exception {
        return run(c, path, args, capture, null);
    }

    /** Runs to the end; returns the exited status. {@code capture}/{@code env} are JSON or null. */
    private static JsonNode run(QgaClient c, String path, List<String> args, String capture, String env)
            throws Exception {
        StringBuilder a = new StringBuilder("{\"path\": ").append(json(path)).append(", \"arg\": [");
        for (int i = 0; i < args.size(); i++) {
            a.append(i > 0 ? ", " : "").append(json(args.get(i)));
        }
        a.append("]");
        if (capture != null) {
            a.append(", \"capture-output\": ").append(capture);
        }
        if (env != null) {
            a.append(", \"env\": ").append(env);
        }
        return waitExited(c, exec(c, a.append("}").toString()));
    }

    private static JsonNode waitExited(QgaClient c, long pid) throws Exception {
        Instant deadline = Instant.now().plus(EXIT_TIMEOUT);
        while (true) {
            JsonNode st = ok(c, "guest-exec-status", "{\"pid\": " + pid + "}");
            if (st.get("exited").asBoolean()) {
                return st;
            }
            assertThat(st.size())
                    .as("a running child's status has only 'exited'")
                    .isEqualTo(1);
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("pid " + pid + " did not exit within " + EXIT_TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    private static String text(JsonNode status, String member) {
        assertThat(status.has(member))
                .as("%s in %s", member, AgentsByKind.abbreviate(status))
                .isTrue();
        return new String(B64.decode(status.get(member).asText()), StandardCharsets.UTF_8);
    }

    private static String json(String s) throws IOException {
        return QgaClient.JSON.writeValueAsString(s);
    }

    private static String unknownPid(AgentKind kind, long pid) {
        return kind == AgentKind.QEMU_GA ? "Invalid parameter 'pid'" : "PID " + pid + " does not exist";
    }

    private static String spawnError(AgentKind kind, String path, String reason) {
        String glib = "Failed to execute child process \u201C" + path + "\u201D (" + reason + ")";
        return kind == AgentKind.QEMU_GA ? "Guest agent command failed, error was '" + glib + "'" : glib;
    }

    /** Threads of the agent, except the JVM's JIT compiler threads, which come and go with load. */
    private static long threadCount(AgentProcess agent) throws IOException {
        long n = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + agent.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) s::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException gone) {
                    continue;
                }
                if (!name.matches("C\\d CompilerThre.*")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Children of the agent in state Z, from /proc/[pid]/stat (field 3 state, field 4 ppid). */
    private static List<String> zombiesOf(AgentProcess agent) throws IOException {
        List<String> zombies = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == agent.pid()) {
                    zombies.add(p.getFileName().toString());
                }
            }
        }
        return zombies;
    }
}
