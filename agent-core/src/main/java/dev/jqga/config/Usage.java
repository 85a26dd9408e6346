package dev.jqga.config;

import dev.jqga.Version;
import java.util.List;
import picocli.CommandLine;

/**
 * What the command line prints for people: qemu-ga's {@code --help} layout with jqga's values,
 * {@code -V}, and getopt's words for a bad option. Scripts that scrape qemu-ga's help or grep
 * for "Unknown option" see the same lines.
 */
public final class Usage {
    private Usage() {}

    /** The {@code --help} text; {@code argv0} is the name the agent was started by. */
    public static String help(String argv0) {
        return "Usage: " + argv0 + " [-m <method> -p <path>] [<options>]\n"
                + "QEMU Guest Agent " + Version.QGA + " (jqga " + Version.JQGA + ", a QEMU Guest Agent in Java)\n"
                + "\n"
                + "  -c, --config=PATH configuration file path (default is\n"
                + "                    " + AgentConfig.DEFAULT_CONFIG + "\n"
                + "                    unless overridden by the QGA_CONF environment variable)\n"
                + "  -m, --method      transport method: one of unix-listen, virtio-serial,\n"
                + "                    isa-serial, or vsock-listen (virtio-serial is the default)\n"
                + "  -p, --path        device/socket path (the default for virtio-serial is:\n"
                + "                    " + AgentConfig.DEFAULT_VIRTIO_PATH + ",\n"
                + "                    the default for isa-serial is:\n"
                + "                    " + AgentConfig.DEFAULT_ISA_PATH + ").\n"
                + "                    Socket addresses for vsock-listen are written as\n"
                + "                    <cid>:<port>.\n"
                + "  -l, --logfile     set logfile path, logs to stderr by default\n"
                + "  -f, --pidfile     specify pidfile (default is " + AgentConfig.DEFAULT_PIDFILE + ")\n"
                + "  -F, --fsfreeze-hook\n"
                + "                    enable fsfreeze hook. Accepts an optional argument that\n"
                + "                    specifies script to run on freeze/thaw. Script will be\n"
                + "                    called with 'freeze'/'thaw' arguments accordingly.\n"
                + "                    (default is " + AgentConfig.DEFAULT_FSFREEZE_HOOK + ")\n"
                + "                    If using -F with an argument, do not follow -F with a\n"
                + "                    space.\n"
                + "                    (for example: -F/var/run/fsfreezehook.sh)\n"
                + "  -t, --statedir    specify dir to store state information (absolute paths\n"
                + "                    only, default is " + AgentConfig.DEFAULT_STATEDIR + ")\n"
                + "  -v, --verbose     log extra debugging information\n"
                + "  -V, --version     print version information and exit\n"
                + "  -d, --daemonize   become a daemon\n"
                + "  -b, --block-rpcs  comma-separated list of RPCs to disable (no spaces,\n"
                + "                    use \"--block-rpcs=help\" to list available RPCs)\n"
                + "  -a, --allow-rpcs  comma-separated list of RPCs to enable (no spaces,\n"
                + "                    use \"--allow-rpcs=help\" to list available RPCs)\n"
                + "  -D, --dump-conf   dump a qemu-ga config file based on current config\n"
                + "                    options / command-line parameters to stdout\n"
                + "  -r, --retry-path  attempt re-opening path if it's unavailable or closed\n"
                + "                    due to an error which may be recoverable in the future\n"
                + "                    (virtio-serial driver re-install, serial device hot\n"
                + "                    plug/unplug, etc.)\n"
                + "  -h, --help        display this help and exit\n"
                + "\n"
                + "jqga speaks qemu-ga " + Version.QGA + "'s protocol; the config file and every option\n"
                + "above are qemu-ga's.\n";
    }

    /** {@code -V}: qemu-ga's line, then which jqga it is. */
    public static String version() {
        return "QEMU Guest Agent " + Version.QGA + " (jqga " + Version.JQGA + ")\n";
    }

    /** The line printed on stdout after a bad option, as qemu-ga prints it. */
    public static String unknownOption(String argv0) {
        return "Unknown option, try '" + argv0 + " --help' for more information.\n";
    }

    /**
     * getopt's own complaint (glibc's words) for what picocli rejected, e.g.
     * {@code jqga: unrecognized option '--bogus'} or {@code jqga: option requires an argument -- 'm'}.
     */
    public static String getoptError(String argv0, CommandLine.ParameterException e, String[] args) {
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                return argv0 + ": unrecognized option '" + arg + "'";
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return argv0 + ": invalid option -- '" + firstUnknownShort(arg) + "'";
            }
        }
        if (e instanceof CommandLine.MissingParameterException && args.length > 0) {
            String last = args[args.length - 1];
            if (last.startsWith("--")) {
                return argv0 + ": option '" + last + "' requires an argument";
            }
            return argv0 + ": option requires an argument -- '" + last.charAt(last.length() - 1) + "'";
        }
        return argv0 + ": " + e.getMessage();
    }

    private static final List<Character> SHORT_OPTIONS =
            "hVvdcmplfFbastDr".chars().mapToObj(c -> (char) c).toList();

    private static char firstUnknownShort(String cluster) {
        for (int i = 1; i < cluster.length(); i++) {
            if (!SHORT_OPTIONS.contains(cluster.charAt(i))) {
                return cluster.charAt(i);
            }
        }
        return cluster.charAt(1);
    }
}
