package dev.jqga.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * qemu-ga's command line, same short and long names (getopt string
 * {@code hVvdc:m:p:l:f:F::b:a:s:t:Dr}). Options only record what was given; {@link #applyTo}
 * lays them over the config file.
 */
@Command(
        name = "jqga",
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = "QEMU Guest Agent (jqga, a Java implementation of qemu-ga).",
        footer = {
            "",
            "Methods: virtio-serial (default), isa-serial, unix-listen, vsock-listen.",
            "Config file: $QGA_CONF or " + AgentConfig.DEFAULT_CONFIG
                    + ", [general] group, same keys as the long options."
        })
public final class CommandLineOptions {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "display this help and exit")
    boolean help;

    @Option(
            names = {"-V", "--version"},
            description = "print version information and exit")
    public boolean version;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "PATH",
            description = "configuration file path (default is $QGA_CONF or " + AgentConfig.DEFAULT_CONFIG + ")")
    public String config;

    @Option(
            names = {"-m", "--method"},
            paramLabel = "METHOD",
            description =
                    "transport method: one of unix-listen, virtio-serial, isa-serial, or vsock-listen (virtio-serial is the default)")
    String method;

    @Option(
            names = {"-p", "--path"},
            paramLabel = "PATH",
            description =
                    "device/socket path (the default for virtio-serial is "
                            + "/dev/virtio-ports/org.qemu.guest_agent.0, the default for isa-serial is /dev/ttyS0). Socket addresses for vsock-listen are written as <cid>:<port>.")
    String path;

    @Option(
            names = {"-l", "--logfile"},
            paramLabel = "PATH",
            description = "set logfile path, logs to stderr by default")
    String logfile;

    @Option(
            names = {"-f", "--pidfile"},
            paramLabel = "PATH",
            description = "specify pidfile (default is " + AgentConfig.DEFAULT_PIDFILE + ")")
    String pidfile;

    /** getopt's optional argument: only attached ({@code -F/path}, {@code --fsfreeze-hook=/path}). */
    @Option(
            names = {"-F", "--fsfreeze-hook"},
            paramLabel = "PATH",
            arity = "0..1",
            fallbackValue = AgentConfig.DEFAULT_FSFREEZE_HOOK,
            description =
                    "enable fsfreeze hook. Accepts an optional argument that specifies script to run on freeze/thaw. Script will be called with 'freeze'/'thaw' arguments accordingly. (default is "
                            + AgentConfig.DEFAULT_FSFREEZE_HOOK
                            + ") If using -F with an argument, do not follow -F with a space. (for example: -F/var/run/fsfreezehook.sh)")
    String fsfreezeHook;

    @Option(
            names = {"-t", "--statedir"},
            paramLabel = "PATH",
            description = "specify dir to store state information (absolute paths only, default is "
                    + AgentConfig.DEFAULT_STATEDIR + ")")
    String statedir;

    @Option(
            names = {"-v", "--verbose"},
            description = "log extra debugging information")
    boolean verbose;

    @Option(
            names = {"-d", "--daemonize"},
            description = "become a daemon")
    boolean daemonize;

    @Option(
            names = {"-b", "--block-rpcs"},
            paramLabel = "LIST",
            description = "comma-separated list of RPCs to disable (no spaces, use \"help\" to list available RPCs)")
    List<String> blockRpcs = new ArrayList<>();

    @Option(
            names = {"-a", "--allow-rpcs"},
            paramLabel = "LIST",
            description = "comma-separated list of RPCs to enable (no spaces, use \"help\" to list available RPCs)")
    List<String> allowRpcs = new ArrayList<>();

    @Option(
            names = {"-D", "--dump-conf"},
            description =
                    "dump a qemu-ga config file based on current config options / command-line parameters to stdout, and exit")
    public boolean dumpConf;

    @Option(
            names = {"-r", "--retry-path"},
            description =
                    "attempt re-opening path if it's unavailable or closed due to an error which may be recoverable in the future (virtio-serial driver re-install, etc)")
    boolean retryPath;

    /** Whether {@code -b help} or {@code -a help} (or {@code ?}) asked for the command list. */
    public boolean listCommandsRequested() {
        for (List<String> l : List.of(blockRpcs, allowRpcs)) {
            for (String v : l) {
                if (v.equals("help") || v.equals("?")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lays the command line over the configuration read from the file. */
    public void applyTo(AgentConfig c) {
        if (daemonize) {
            c.daemon = true;
        }
        if (method != null) {
            c.method = method;
        }
        if (path != null) {
            c.path = path;
        }
        if (logfile != null) {
            c.logfile = logfile;
        }
        if (pidfile != null) {
            c.pidfile = pidfile;
        }
        if (fsfreezeHook != null) {
            c.fsfreezeHook = fsfreezeHook;
        }
        if (statedir != null) {
            c.statedir = statedir;
        }
        if (verbose) {
            c.verbose = true;
        }
        if (retryPath) {
            c.retryPath = true;
        }
        blockRpcs.forEach(v -> c.blockRpcs.addAll(AgentConfig.splitList(v)));
        allowRpcs.forEach(v -> c.allowRpcs.addAll(AgentConfig.splitList(v)));
    }

    /**
     * getopt takes {@code -F}'s argument only when attached; picocli would take the next word.
     * So a bare {@code -F} or {@code --fsfreeze-hook} is made explicit before parsing.
     */
    public static String[] normalize(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("--")) {
                break;
            }
            if (out[i].equals("-F") || out[i].equals("--fsfreeze-hook")) {
                out[i] = "--fsfreeze-hook=" + AgentConfig.DEFAULT_FSFREEZE_HOOK;
            }
        }
        return out;
    }
}
