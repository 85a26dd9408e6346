package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.Cli;
import dev.jqga.tests.harness.PtyPair;
import dev.jqga.tests.harness.QgaClient;
import dev.jqga.tests.harness.TtyClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transports other than unix-listen, for real, against jqga and qemu-ga: isa-serial and
 * virtio-serial over a pty pair made by socat (the agent's port on one end, the test as host on
 * the other), {@code --retry-path} waiting for a port that appears later or comes back,
 * systemd socket activation from a helper that binds the socket at fd 3 and execs the agent
 * with {@code LISTEN_PID} set to its own pid (perl from Debian's essential perl-base), and
 * vsock-listen. This kernel has no vsock loopback transport (connecting to CID 1 times out), so
 * vsock is tested as far as it can run here: address parsing, bind and listen, adoption of an
 * activated vsock socket; the real-guest suite talks to it from a host.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TransportTest {
    /** The agent's directory (statedir, cwd, log); kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static AgentProcess spawn(AgentKind kind, Path dir, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-t", dir.toString()));
        return AgentProcess.spawn(kind, dir, Map.of(), all);
    }

    /** Syncs over the host end until the agent answers (it may still be starting). */
    private static void awaitPong(PtyPair pty) throws Exception {
        try (TtyClient host = pty.openHost()) {
            host.sync();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void isaSerialIsRaw(AgentKind kind) throws Exception {
        Path dir = tmp;
        try (PtyPair pty = PtyPair.start(dir.resolve("ttyS"), dir.resolve("host"));
                AgentProcess agent =
                        spawn(kind, dir, "-m", "isa-serial", "-p", pty.guest().toString())) {
            try (TtyClient host = pty.openHost()) {
                host.sync(); // qemu-ga flushes input that came before it opened the port
                // no newline (no canonical mode); XOFF is data (no IXON); replies end in a bare
                // '\n' (no ONLCR)
                host.send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5}}");
                assertThat(host.readLine()).isEqualTo("{\"return\": 5}");
                host.send("\u0013{\"execute\":\"guest-ping\",\"id\":\"after-xoff\"}\r");
                assertThat(host.readLine()).contains("stray '\\u0013'");
                assertThat(host.readLine()).isEqualTo("{\"return\": {}, \"id\": \"after-xoff\"}");
            }
            assertThat(agent.stop()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void virtioSerialOverAPtyAndTheHostLeaving(AgentKind kind) throws Exception {
        Path dir = tmp;
        PtyPair pty = PtyPair.start(dir.resolve("vport"), dir.resolve("host"));
        try (AgentProcess agent =
                spawn(kind, dir, "-m", "virtio-serial", "-p", pty.guest().toString())) {
            awaitPong(pty);
            pty.close(); // the host side goes away: reads see EOF and POLLHUP from now on
            Thread.sleep(1000);
            assertThat(agent.process().isAlive())
                    .as("agent keeps waiting for a host")
                    .isTrue();
            assertThat(agent.stop()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void retryPathWaitsForAPortThatAppearsLater(AgentKind kind) throws Exception {
        Path dir = tmp;
        Path port = dir.resolve("vport");
        try (AgentProcess agent = spawn(kind, dir, "-m", "virtio-serial", "-p", port.toString(), "-r", "-v")) {
            // 10.x logs "will retry" first; both then say they wait
            agent.awaitLog("waiting for channel path...", Duration.ofSeconds(20));
            assertThat(agent.process().isAlive()).isTrue();
            try (PtyPair pty = PtyPair.start(port, dir.resolve("host"))) {
                awaitPong(pty); // within one 5 s retry interval
            }
            assertThat(agent.stop()).isZero();
        }
    }

    /**
     * jqga only: qemu-ga 7.2 (and 10.x) reads EOF from a hung-up serial line, closes it and then
     * idles for good, even with {@code --retry-path}; jqga treats it as a failed device and reopens.
     */
    @Test
    void retryPathReopensASerialPortThatVanished() throws Exception {
        AgentKind kind = AgentKind.JQGA;
        Path dir = tmp;
        Path port = dir.resolve("ttyS");
        try (AgentProcess agent = spawn(kind, dir, "-m", "isa-serial", "-p", port.toString(), "-r", "-v")) {
            try (PtyPair pty = PtyPair.start(port, dir.resolve("host"))) {
                awaitPong(pty);
            } // the device vanishes: reads fail
            agent.awaitLog("agent stopped unexpectedly, restarting...", Duration.ofSeconds(20));
            Files.deleteIfExists(port);
            try (PtyPair pty = PtyPair.start(port, dir.resolve("host"))) {
                awaitPong(pty);
            }
            assertThat(agent.stop()).isZero();
        }
    }

    // ---- systemd socket activation ----

    /** Binds a socket of {@code kind} (unix PATH | vsock PORT | inet | two PATH) at fd 3 and execs the rest. */
    private static final String ACTIVATOR = "BEGIN { $^F = 255 } use strict; use Socket; use IO::Socket::UNIX;"
            + " use IO::Socket::INET; use POSIX ();"
            + " my ($kind, $where, @cmd) = @ARGV; my $s;"
            + " if ($kind eq 'unix' || $kind eq 'two') { unlink $where;"
            + "   $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $where, Listen => 1) or die \"bind: $!\"; }"
            + " elsif ($kind eq 'vsock') { socket($s, 40, SOCK_STREAM, 0) or die \"socket: $!\";"
            + "   bind($s, pack('S S L L C x3', 40, 0, $where, 0xFFFFFFFF, 0)) or die \"bind: $!\";"
            + "   listen($s, 1) or die \"listen: $!\"; }"
            + " else { $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1,"
            + "   Proto => 'tcp') or die \"inet: $!\"; }"
            + " POSIX::dup2(fileno($s), 3) == 3 or die \"dup2: $!\";"
            + " if ($kind eq 'two') { POSIX::dup2(fileno($s), 4) or die \"dup2: $!\"; }"
            + " $ENV{LISTEN_PID} = $$; $ENV{LISTEN_FDS} = $kind eq 'two' ? 2 : 1;"
            + " exec @cmd or die \"exec: $!\";";

    private static List<String> activated(AgentKind kind, String socketKind, String where, String... args) {
        List<String> cmd = new ArrayList<>(List.of("perl", "-e", ACTIVATOR, socketKind, where));
        cmd.addAll(kind.command());
        cmd.addAll(List.of(args));
        return cmd;
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void socketActivatedUnixSocketIsServedAndMethodIgnored(AgentKind kind) throws Exception {
        Path dir = tmp;
        Path sock = dir.resolve("activated.sock");
        ProcessBuilder pb = new ProcessBuilder(activated(
                        kind, "unix", sock.toString(), "-t", dir.toString(), "-m", "isa-serial", "-p", "/nonexistent"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().put("QGA_CONF", "/nonexistent/qemu-ga.conf");
        Process p = pb.start();
        try {
            for (int round = 0; round < 2; round++) { // one client after the other
                QgaClient c = connectWithin(sock, Duration.ofSeconds(20));
                try (c) {
                    assertThat(c.call("{\"execute\":\"guest-ping\",\"id\":" + round + "}"))
                            .isEqualTo("{\"return\": {}, \"id\": " + round + "}");
                }
            }
            AgentProcess.sigterm(kind, p.toHandle());
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static QgaClient connectWithin(Path sock, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                QgaClient c = QgaClient.connect(sock);
                c.sync();
                return c;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * {@code -d} under socket activation: the daemon serves the socket it was started with. (A
     * forked qemu-ga child keeps fd 3; jqga's re-executed child gets it on stdin from the parent.)
     */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void socketActivatedDaemonServesTheInheritedSocket(AgentKind kind) throws Exception {
        Path dir = tmp;
        Path sock = dir.resolve("activated.sock");
        Path pidfile = dir.resolve("daemon.pid");
        Cli.Result parent = Cli.run(
                activated(kind, "unix", sock.toString(), "-d", "-t", dir.toString(), "-f", pidfile.toString()),
                Map.of(),
                dir);
        assertThat(parent.status()).as(parent.err()).isZero();
        long pid = awaitPid(pidfile, Duration.ofSeconds(20));
        try {
            try (QgaClient c = connectWithin(sock, Duration.ofSeconds(20))) {
                c.sync();
                assertThat(c.call("{\"execute\":\"guest-ping\",\"id\":1}")).isEqualTo("{\"return\": {}, \"id\": 1}");
            }
        } finally {
            ProcessHandle daemon = ProcessHandle.of(pid).orElse(null);
            if (daemon != null) {
                AgentProcess.sigterm(kind, daemon);
                daemon.onExit().orTimeout(15, TimeUnit.SECONDS).join();
            }
        }
    }

    private static long awaitPid(Path pidfile, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(pidfile)) {
                String text = Files.readString(pidfile).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no pid in " + pidfile);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void socketActivationDerivesTheMethodFromTheSocketFamily(AgentKind kind) throws Exception {
        Path dir = tmp;
        Cli.Result unix =
                Cli.run(activated(kind, "unix", dir.resolve("s").toString(), "-t", "/x", "-D"), Map.of(), dir);
        assertThat(unix.status()).isZero();
        assertThat(unix.out()).contains("method=unix-listen\n").doesNotContain("\npath=");
        Cli.Result vsock = Cli.run(activated(kind, "vsock", "50123", "-t", "/x", "-D"), Map.of(), dir);
        assertThat(vsock.status()).isZero();
        assertThat(vsock.out()).contains("method=vsock-listen\n");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void socketActivationRefusesTwoSocketsAndOtherFamilies(AgentKind kind) throws Exception {
        Path dir = tmp;
        Cli.Result two =
                Cli.run(activated(kind, "two", dir.resolve("s").toString(), "-t", dir.toString()), Map.of(), dir);
        assertThat(two.status()).isEqualTo(1);
        assertThat(two.errLines()).singleElement().asString().contains("qemu-ga only supports listening on one socket");
        Cli.Result inet = Cli.run(activated(kind, "inet", "0", "-t", dir.toString()), Map.of(), dir);
        assertThat(inet.status()).isEqualTo(1);
        assertThat(inet.errLines()).singleElement().asString().contains("unsupported listen fd type");
    }

    // ---- vsock-listen ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void vsockAddressesAreCheckedInQemusWords(AgentKind kind) throws Exception {
        Path dir = tmp;
        Map<String, String> cases = Map.of(
                "1", "error parsing address '1'",
                "1:", "error parsing address '1:'",
                "a:b", "Failed to parse cid 'a'",
                "-1:5", "Failed to parse cid '-1'",
                "4294967296:1", "Failed to parse cid '4294967296'",
                "1:2x", "Failed to parse port '2x'",
                "1:2,x", "trailing characters in address '1:2,x'",
                "1:50124", "Failed to bind socket: Cannot assign requested address");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Cli.Result r = Cli.run(kind, Map.of(), dir, "-m", "vsock-listen", "-p", c.getKey(), "-t", dir.toString());
            assertThat(r.status()).as(c.getKey()).isEqualTo(1);
            assertThat(r.err()).as(c.getKey()).contains(c.getValue());
        }
    }

    @Test
    void vsockListenBindsTheAnyCidAndStopsCleanly() throws Exception {
        Path dir = tmp;
        try (AgentProcess agent = spawn(AgentKind.JQGA, dir, "-m", "vsock-listen", "-p", "4294967295:50125", "-v")) {
            Thread.sleep(3000);
            assertThat(agent.process().isAlive())
                    .as("listening; log: %s", agent.log())
                    .isTrue();
            assertThat(agent.stop()).isZero();
        }
    }
}
