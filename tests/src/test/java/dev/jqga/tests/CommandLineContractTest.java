package dev.jqga.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * qemu-ga's command line, compared with the real one: {@code --help}, {@code -V}, getopt's
 * complaints, {@code -b help}, {@code --dump-conf} and its round trip, the config file through
 * {@code QGA_CONF}, and the order of checks ({@code -m unix-listen -D} without a path fails).
 * qemu-ga 7.2 has neither {@code -c} nor {@code -a}; those lines are checked on jqga only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineContractTest {
    private static String argv0(AgentKind kind) {
        return kind.command().get(0);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void helpHasQemuGasLayout(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(kind, "--help");
        assertThat(r.status()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Usage: " + argv0(kind) + " [-m <method> -p <path>] [<options>]");
        assertThat(lines.get(1)).startsWith("QEMU Guest Agent ");
        List<String> options = List.of(
                "  -m, --method      transport method: one of unix-listen, virtio-serial,",
                "  -p, --path        device/socket path (the default for virtio-serial is:",
                "  -l, --logfile     set logfile path, logs to stderr by default",
                "  -f, --pidfile     specify pidfile (default is /var/run/qemu-ga.pid)",
                "  -F, --fsfreeze-hook",
                "  -t, --statedir    specify dir to store state information (absolute paths",
                "  -v, --verbose     log extra debugging information",
                "  -V, --version     print version information and exit",
                "  -d, --daemonize   become a daemon",
                "  -b, --block-rpcs  comma-separated list of RPCs to disable (no spaces,",
                "  -D, --dump-conf   dump a qemu-ga config file based on current config",
                "  -r, --retry-path  attempt re-opening path if it's unavailable or closed",
                "  -h, --help        display this help and exit");
        assertThat(lines).containsSubsequence(options);
        if (kind == AgentKind.JQGA) {
            assertThat(lines)
                    .contains("  -c, --config=PATH configuration file path (default is")
                    .contains("  -a, --allow-rpcs  comma-separated list of RPCs to enable (no spaces,");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void versionLine(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(kind, "-V");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("QEMU Guest Agent " + (kind == AgentKind.JQGA ? "10.0.0 (jqga " : "7.2"));
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void badOptionsGetGetoptsWords(AgentKind kind) throws Exception {
        String a0 = argv0(kind);
        String unknown = "Unknown option, try '" + a0 + " --help' for more information.\n";
        Map<List<String>, String> cases = Map.of(
                List.of("--bogus"), a0 + ": unrecognized option '--bogus'",
                List.of("-x"), a0 + ": invalid option -- 'x'",
                List.of("-m"), a0 + ": option requires an argument -- 'm'",
                List.of("--method"), a0 + ": option '--method' requires an argument");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Cli.Result r = Cli.run(kind, c.getKey().toArray(String[]::new));
            assertThat(r.status()).as("%s", c.getKey()).isEqualTo(1);
            assertThat(r.out()).as("%s", c.getKey()).isEqualTo(unknown);
            assertThat(r.err()).as("%s", c.getKey()).isEqualTo(c.getValue() + "\n");
        }
    }

    @Test
    void blockRpcsHelpListsAll44CommandsInSchemaOrder() throws Exception {
        for (String arg : List.of("help", "?")) {
            Cli.Result r = Cli.run(AgentKind.JQGA, "-b", arg);
            assertThat(r.status()).isZero();
            List<String> names = r.out().lines().toList();
            assertThat(names).hasSize(44);
            assertThat(names.subList(0, 4))
                    .containsExactly("guest-sync-delimited", "guest-sync", "guest-ping", "guest-get-time");
            assertThat(names.get(43)).isEqualTo("guest-network-get-route");
        }
        assertThat(Cli.run(AgentKind.JQGA, "--allow-rpcs=help").out().lines().count())
                .isEqualTo(44);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void blockRpcsHelpListsCommandsLikeQemuGa(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(kind, "--block-rpcs=?");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).startsWith("guest-sync-delimited", "guest-sync", "guest-ping");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void dumpConfDefaults(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(kind, "-D");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        String expected = "[general]\n"
                + "daemon=false\n"
                + "method=virtio-serial\n"
                + "path=/dev/virtio-ports/org.qemu.guest_agent.0\n"
                + "pidfile=/var/run/qemu-ga.pid\n"
                + "statedir=/var/run\n"
                + "verbose=false\n"
                + "retry-path=false\n"
                + "block-rpcs=\n"
                + (kind == AgentKind.JQGA ? "allow-rpcs=\n" : "");
        assertThat(r.out()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void dumpConfWithEveryOption(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(
                kind,
                "-d",
                "-m",
                "unix-listen",
                "-p",
                "/x/s",
                "-l",
                "/x/log",
                "-f",
                "/x/pid",
                "-F/x/hook",
                "-t",
                "/x",
                "-v",
                "-r",
                "-b",
                "guest-ping",
                "-D");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .isEqualTo("[general]\n"
                        + "daemon=true\n"
                        + "method=unix-listen\n"
                        + "path=/x/s\n"
                        + "logfile=/x/log\n"
                        + "pidfile=/x/pid\n"
                        + "fsfreeze-hook=/x/hook\n"
                        + "statedir=/x\n"
                        + "verbose=true\n"
                        + "retry-path=true\n"
                        + "block-rpcs=guest-ping\n"
                        + (kind == AgentKind.JQGA ? "allow-rpcs=\n" : ""));
        // a bare -F means the default hook; the method is not checked before -D
        assertThat(Cli.run(kind, "-F", "-D").out()).contains("fsfreeze-hook=/etc/qemu/fsfreeze-hook\n");
        assertThat(Cli.run(kind, "-m", "foo", "-p", "x", "-D").out()).contains("method=foo\n");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void pathIsCheckedBeforeDumpConf(AgentKind kind) throws Exception {
        Cli.Result r = Cli.run(kind, "-m", "unix-listen", "-D");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().endsWith("must specify a path for this channel");
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void dumpConfReadsBackToTheSameConfiguration(AgentKind kind) throws Exception {
        Path dir = Files.createTempDirectory("qga-dump-");
        Cli.Result first = Cli.run(
                kind, "-m", "unix-listen", "-p", "/x/ a\\b", "-t", "/x", "-v", "-b", "guest-ping,guest-info", "-D");
        Path conf = dir.resolve("dumped.conf");
        Files.writeString(conf, first.out());
        Cli.Result second = Cli.run(kind, Map.of("QGA_CONF", conf.toString()), dir, "-D");
        assertThat(second.status()).isZero();
        assertThat(second.out().replace("block-rpcs=guest-info,guest-ping", "block-rpcs=guest-ping,guest-info"))
                .isEqualTo(first.out().replace("block-rpcs=guest-info,guest-ping", "block-rpcs=guest-ping,guest-info"));
        Files.delete(conf);
        Files.delete(dir);
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void configFileErrorsInGlibsWords(AgentKind kind) throws Exception {
        Path dir = Files.createTempDirectory("qga-conf-");
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[general]\nverbose=yes\n");
        Cli.Result r = Cli.run(kind, Map.of("QGA_CONF", conf.toString(), "LC_ALL", "C.UTF-8"), dir, "-D");
        assertThat(r.status()).isEqualTo(1);
        // GLib's default log format: "** (process:<pid>): CRITICAL **: <hh:mm:ss.mmm>: <message>"
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .matches("\\*\\* \\(process:\\d+\\): CRITICAL \\*\\*: "
                        + "\\d\\d:\\d\\d:\\d\\d\\.\\d{3}: "
                        + java.util.regex.Pattern.quote("error loading configuration from path: " + conf
                                + ", Key file contains key "
                                // 7.2's GLib prints its curly quotes as '?' without a translation catalogue
                                + (kind == AgentKind.JQGA ? "\u201Cverbose\u201D" : "?verbose?")
                                + " which has a value that cannot be interpreted."));
        // a missing file named by QGA_CONF is fine, as the default one is
        assertThat(Cli.run(kind, Map.of("QGA_CONF", dir.resolve("none").toString()), dir, "-D")
                        .status())
                .isZero();
        Files.delete(conf);
        Files.delete(dir);
    }

    @Test
    void explicitConfigFileMustLoadAndCommandLineWins() throws Exception {
        Path dir = Files.createTempDirectory("qga-conf-");
        Path conf = dir.resolve("qga.conf");
        Files.writeString(conf, "[general]\nmethod=unix-listen\npath=/from/file\nblock-rpcs=guest-ping;guest-info\n");
        Cli.Result r = Cli.run(AgentKind.JQGA, "-c", conf.toString(), "-p", "/from/cli", "-b", "guest-get-time", "-D");
        assertThat(r.out())
                .contains(
                        "method=unix-listen\n",
                        "path=/from/cli\n",
                        "block-rpcs=guest-ping,guest-info,guest-get-time\n");
        Cli.Result missing = Cli.run(AgentKind.JQGA, "-c", dir.resolve("none").toString(), "-D");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.errLines())
                .singleElement()
                .asString()
                .endsWith("error loading configuration from path: " + dir.resolve("none")
                        + ", No such file or directory");
        Files.delete(conf);
        Files.delete(dir);
    }
}
