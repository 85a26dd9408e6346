package dev.jqga.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** getopt_long's rules as qemu-ga relies on them, and getopt's words for mistakes. */
class CommandLineOptionsTest {
    private static AgentConfig config(String... args) {
        AgentConfig c = new AgentConfig();
        CommandLineOptions.parse(args).applyTo(c);
        return c;
    }

    @Test
    void fsfreezeHookTakesOnlyAnAttachedArgument() {
        assertThat(config("-F").fsfreezeHook).isEqualTo("/etc/qemu/fsfreeze-hook");
        assertThat(config("-F/x").fsfreezeHook).isEqualTo("/x");
        assertThat(config("--fsfreeze-hook=/y").fsfreezeHook).isEqualTo("/y");
        // "-F /z": the default hook, and /z is a non-option word that qemu-ga ignores
        assertThat(config("-F", "/z").fsfreezeHook).isEqualTo("/etc/qemu/fsfreeze-hook");
    }

    @Test
    void shortClustersAttachedValuesLongPrefixesAndLastWins() {
        AgentConfig c = config("-vd", "-bguest-ping", "--meth", "unix-listen", "-p", "/a", "--path=/b", "--retry");
        assertThat(c.verbose).isTrue();
        assertThat(c.daemon).isTrue();
        assertThat(c.retryPath).isTrue();
        assertThat(c.blockRpcs).containsExactly("guest-ping");
        assertThat(c.method).isEqualTo("unix-listen");
        assertThat(c.path).isEqualTo("/b");
    }

    @Test
    void repeatedListOptionsAddUpAndRepeatedFlagsStaySet() {
        AgentConfig c =
                config("-b", "guest-ping,guest-info", "-v", "--block-rpcs=guest-exec", "-v", "-a", "x;y", "-a", "z");
        assertThat(c.blockRpcs).containsExactly("guest-ping", "guest-info", "guest-exec");
        assertThat(c.allowRpcs).containsExactly("x", "y", "z");
        assertThat(c.verbose).isTrue();
    }

    @Test
    void windowsServiceOptionAndOperandsAreAcceptedAndIgnored() {
        AgentConfig c = config("-s", "install", "stray-word");
        assertThat(c.method).isNull();
    }

    @Test
    void helpListRequests() {
        assertThat(CommandLineOptions.parse(new String[] {"-b", "help"}).listCommandsRequested())
                .isTrue();
        assertThat(CommandLineOptions.parse(new String[] {"--allow-rpcs=?"}).listCommandsRequested())
                .isTrue();
        assertThat(CommandLineOptions.parse(new String[] {"-b", "guest-ping"}).listCommandsRequested())
                .isFalse();
    }

    @Test
    void getoptMessages() {
        assertThat(message("--bogus")).isEqualTo("qemu-ga: unrecognized option '--bogus'");
        assertThat(message("-vx")).isEqualTo("qemu-ga: invalid option -- 'x'");
        assertThat(message("-m")).isEqualTo("qemu-ga: option requires an argument -- 'm'");
        assertThat(message("--method")).isEqualTo("qemu-ga: option '--method' requires an argument");
    }

    private static String message(String... args) {
        try {
            CommandLineOptions.parse(args);
        } catch (CommandLine.ParameterException e) {
            return Usage.getoptError("qemu-ga", e, args);
        }
        throw new AssertionError("accepted: " + String.join(" ", args));
    }

    @Test
    void helpNamesEveryOption() {
        String help = Usage.help("jqga");
        for (String opt : new String[] {
            "-m, --method",
            "-p, --path",
            "-l, --logfile",
            "-f, --pidfile",
            "-F, --fsfreeze-hook",
            "-t, --statedir",
            "-v, --verbose",
            "-V, --version",
            "-d, --daemonize",
            "-b, --block-rpcs",
            "-a, --allow-rpcs",
            "-D, --dump-conf",
            "-r, --retry-path",
            "-h, --help",
            "-c, --config"
        }) {
            assertThat(help).contains("  " + opt);
        }
        assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--nope"}))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
