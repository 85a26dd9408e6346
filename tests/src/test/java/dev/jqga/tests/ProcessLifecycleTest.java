package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.Cli;
import dev.jqga.tests.harness.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent as a process: {@code -d} (a detached daemon with a locked pidfile that a second agent
 * cannot take, removed at exit), no pidfile without {@code -d}, the frozen marker at start-up,
 * {@code -l} logging, SIGTERM/SIGINT, and bad configurations: one clear line and a non-zero
 * exit, never a stack trace.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessLifecycleTest {
    /** The agent's directory (statedir, cwd, log); kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static String readStatus(long pid, String key) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(key + ":"))
                .findFirst()
                .orElseThrow()
                .substring(key.length() + 1)
                .strip();
    }

    private static void awaitGone(long pid) throws InterruptedException {
        for (int i = 0;
                i < 300 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                i++) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("pid %d gone", pid)
                .isFalse();
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    @Test
    void daemonizeDetachesWritesALockedPidfileAndCleansUp() throws Exception {
        Path dir = tmp;
        Path pidfile = dir.resolve("run.pid");
        Path sock = dir.resolve("sock");
        Cli.Result parent = Cli.run(
                AgentKind.JQGA,
                Map.of(),
                dir,
                "-d",
                "-m",
                "unix-listen",
                "-p",
                "sock",
                "-t",
                dir.toString(),
                "-f",
                pidfile.toString());
        assertThat(parent.status()).as(parent.err()).isZero();
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        try {
            assertThat(Files.readString(pidfile)).isEqualTo(pid + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pidfile)))
                    .isEqualTo("rw-------");
            assertThat(readStatus(pid, "Umask")).isEqualTo("0077");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"))).isEqualTo(Path.of("/"));
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertThat(Long.parseLong(f[3])).as("session leader").isEqualTo(pid);
            for (int fd = 0; fd <= 2; fd++) {
                assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)))
                        .isEqualTo(Path.of("/dev/null"));
            }
            // the relative socket path was bound in the starting directory, before chdir /
            try (QgaClient c = QgaClient.connect(sock)) {
                c.sync();
                assertThat(c.call("{\"execute\":\"guest-ping\",\"id\":1}")).isEqualTo("{\"return\": {}, \"id\": 1}");
            }

            // a second agent on the same pidfile refuses, and says why
            Cli.Result second = Cli.run(
                    AgentKind.JQGA,
                    Map.of(),
                    dir,
                    "-d",
                    "-m",
                    "unix-listen",
                    "-p",
                    dir.resolve("sock2").toString(),
                    "-t",
                    dir.toString(),
                    "-f",
                    pidfile.toString());
            assertThat(second.status()).isEqualTo(1);
            assertThat(second.errLines())
                    .singleElement()
                    .asString()
                    .endsWith("critical: Cannot lock pid file: Resource temporarily unavailable");
            // so does qemu-ga (the same fcntl lock); 7.2's parent exits 0 before its child tries
            Cli.Result qemu = Cli.run(
                    AgentKind.QEMU_GA,
                    Map.of(),
                    dir,
                    "-d",
                    "-m",
                    "unix-listen",
                    "-p",
                    dir.resolve("sock3").toString(),
                    "-t",
                    dir.toString(),
                    "-f",
                    pidfile.toString());
            assertThat(qemu.err()).contains("Cannot lock pid file");
            assertThat(Files.readString(pidfile)).isEqualTo(pid + "\n");
        } finally {
            kill(pid);
        }
        awaitGone(pid);
        assertThat(pidfile).as("pidfile removed at exit").doesNotExist();
    }

    @Test
    void daemonChildStartFailureIsReportedByTheParent() throws Exception {
        Path dir = tmp;
        Cli.Result r = Cli.run(
                AgentKind.JQGA,
                Map.of(),
                dir,
                "-d",
                "-m",
                "unix-listen",
                "-p",
                dir.resolve("no/such/dir/sock").toString(),
                "-t",
                dir.toString(),
                "-f",
                dir.resolve("pid").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("Failed to bind socket to");
        assertThat(dir.resolve("pid")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void noPidfileWithoutDaemonize(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind)) {
            try (QgaClient c = agent.connect()) {
                c.sync();
            }
            assertThat(agent.dir().resolve("pid")).doesNotExist();
            assertThat(agent.stop()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void sigintExitsWithStatusZero(AgentKind kind) throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind)) {
            new ProcessBuilder("kill", "-INT", Long.toString(agent.pid()))
                    .start()
                    .waitFor();
            assertThat(agent.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.process().exitValue()).isZero();
        }
    }

    /**
     * A previous agent left {@code qga.state.isfrozen}: the agent starts frozen, warns, keeps
     * its log file closed, runs only the commands allowed while frozen and ignores SIGTERM
     * (cleaned up with SIGKILL). 7.2 words the disabled error differently.
     */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void startsFrozenWhenTheMarkerIsThere(AgentKind kind) throws Exception {
        Path dir = tmp;
        Files.createFile(dir.resolve("qga.state.isfrozen"));
        try (AgentProcess agent = AgentProcess.spawn(
                kind,
                dir,
                Map.of(),
                List.of(
                        "-m",
                        "unix-listen",
                        "-p",
                        dir.resolve("sock").toString(),
                        "-t",
                        dir.toString(),
                        "-l",
                        dir.resolve("qga.log").toString()))) {
            agent.awaitLog(
                    "previous instance appears to have exited with frozen filesystems",
                    java.time.Duration.ofSeconds(20));
            QgaClient c = connect(agent);
            try (c) {
                c.sync();
                assertThat(c.execute("guest-ping").has("return")).isTrue();
                JsonNode e = c.execute("guest-get-time").path("error");
                assertThat(e.path("class").asText()).isEqualTo("CommandNotFound");
                assertThat(e.path("desc").asText()).startsWith("Command guest-get-time has been disabled");
                if (kind == AgentKind.JQGA) {
                    assertThat(e.path("desc").asText()).endsWith(": the command is not allowed");
                }
                Map<String, Boolean> enabled = UpstreamTestQgaTest.enabledFlags(c);
                assertThat(enabled).containsEntry("guest-info", true).containsEntry("guest-sync", true);
                assertThat(enabled).containsEntry("guest-get-time", false).containsEntry("guest-file-open", false);
            }
            assertThat(dir.resolve("qga.log"))
                    .as("log file deferred while frozen")
                    .doesNotExist();
            agent.process().destroy(); // SIGTERM is ignored while frozen
            assertThat(agent.process().waitFor(2, TimeUnit.SECONDS)).isFalse();
            agent.process().destroyForcibly();
            agent.process().waitFor();
            assertThat(dir.resolve("qga.state.isfrozen")).exists();
        }
    }

    private static QgaClient connect(AgentProcess agent) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return agent.connect();
            } catch (java.io.IOException notYet) {
                if (i > 200) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void logfileIsAppendedToInQemus10Format() throws Exception {
        Path log = tmp.resolve("qga.log");
        for (int run = 0; run < 2; run++) {
            Path dir = Files.createDirectory(tmp.resolve("run" + run));
            try (AgentProcess agent = AgentProcess.spawn(
                    AgentKind.JQGA,
                    dir,
                    Map.of(),
                    List.of(
                            "-m",
                            "unix-listen",
                            "-p",
                            dir.resolve("sock").toString(),
                            "-t",
                            dir.toString(),
                            "-v",
                            "-l",
                            log.toString()))) {
                QgaClient c = connect(agent);
                try (c) {
                    c.sync();
                }
                assertThat(agent.stop()).isZero();
                assertThat(agent.log()).as("nothing on stderr with -l").isEmpty();
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).allMatch(l -> l.matches("\\d+\\.\\d{6}: (error|critical|warning|message|info|debug): .*"));
        assertThat(lines.stream().filter(l -> l.contains("read data, count:")).count())
                .isGreaterThanOrEqualTo(2);
    }

    /** Each bad configuration: exit 1 and exactly one line on stderr, no Java stack trace. */
    @Test
    void badConfigurationGetsOneClearLine() throws Exception {
        Path dir = tmp;
        Path badBool = dir.resolve("bad-bool.conf");
        Files.writeString(badBool, "[general]\ndaemon=maybe\n");
        Path noGroup = dir.resolve("no-group.conf");
        Files.writeString(noGroup, "method=unix-listen\n");
        Path sock = dir.resolve("sock");
        String t = dir.toString();
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--bogus"), "unrecognized option '--bogus'");
        cases.put(List.of("-m", "bogus", "-p", "x", "-t", t), "unsupported channel method/type: bogus");
        cases.put(List.of("-m", "unix-listen", "-t", t), "must specify a path for this channel");
        cases.put(List.of("-c", dir.resolve("missing.conf").toString()), "No such file or directory");
        cases.put(List.of("-c", badBool.toString()), "which has a value that cannot be interpreted");
        cases.put(List.of("-c", noGroup.toString()), "Key file does not start with a group");
        cases.put(List.of("-c", t), "Not a regular file");
        cases.put(
                List.of(
                        "-m",
                        "unix-listen",
                        "-p",
                        sock.toString(),
                        "-t",
                        dir.resolve("missing").toString()),
                "unable to create state file at path");
        cases.put(
                List.of(
                        "-m",
                        "unix-listen",
                        "-p",
                        sock.toString(),
                        "-t",
                        t,
                        "-l",
                        dir.resolve("no/log").toString()),
                "unable to open specified log file: No such file or directory");
        cases.put(
                List.of("-m", "unix-listen", "-p", dir.resolve("no/sock").toString(), "-t", t),
                "Failed to bind socket to");
        cases.put(List.of("-p", dir.resolve("no-port").toString(), "-t", t), "error opening channel");
        cases.put(List.of("-m", "vsock-listen", "-p", "x", "-t", t), "error parsing address 'x'");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Cli.Result r = Cli.run(AgentKind.JQGA, Map.of(), dir, c.getKey().toArray(String[]::new));
            assertThat(r.status()).as("%s: %s", c.getKey(), r.err()).isEqualTo(1);
            assertThat(r.errLines())
                    .as("%s", c.getKey())
                    .singleElement()
                    .asString()
                    .contains(c.getValue());
            assertThat(r.err()).as("%s", c.getKey()).doesNotContain("Exception", "\tat ");
        }
        Optional<Path> leftover = Files.list(dir)
                .filter(p -> p.getFileName().toString().equals("qga.state"))
                .findAny();
        assertThat(leftover).isPresent(); // state is created before the channel is opened, as qemu-ga does
    }
}
