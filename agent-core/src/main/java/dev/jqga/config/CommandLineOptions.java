package dev.jqga.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * qemu-ga's command line, same short and long names (getopt string
 * {@code hVvdc:m:p:l:f:F::b:a:s:t:Dr}). Options only record what was given; {@link #applyTo}
 * lays them over the config file. The help text is {@link Usage}'s, in qemu-ga's layout.
 */
@Command(name = "jqga")
public final class CommandLineOptions {

    @Option(names = {"-h", "--help"})
    public boolean help;

    @Option(names = {"-V", "--version"})
    public boolean version;

    @Option(names = {"-c", "--config"})
    public String config;

    @Option(names = {"-m", "--method"})
    String method;

    @Option(names = {"-p", "--path"})
    String path;

    @Option(names = {"-l", "--logfile"})
    String logfile;

    @Option(names = {"-f", "--pidfile"})
    String pidfile;

    /** getopt's optional argument: only attached ({@code -F/path}, {@code --fsfreeze-hook=/path}); see {@link #normalize}. */
    @Option(names = {"-F", "--fsfreeze-hook"})
    String fsfreezeHook;

    @Option(names = {"-t", "--statedir"})
    String statedir;

    @Option(names = {"-v", "--verbose"})
    boolean verbose;

    @Option(names = {"-d", "--daemonize"})
    boolean daemonize;

    @Option(names = {"-b", "--block-rpcs"})
    List<String> blockRpcs = new ArrayList<>();

    @Option(names = {"-a", "--allow-rpcs"})
    List<String> allowRpcs = new ArrayList<>();

    @Option(names = {"-D", "--dump-conf"})
    public boolean dumpConf;

    @Option(names = {"-r", "--retry-path"})
    boolean retryPath;

    /** Windows service commands; on other systems qemu-ga's getopt accepts and ignores the option. */
    @Option(names = "-s")
    String service;

    /** getopt leaves non-option words alone and qemu-ga never looks at them. */
    @Parameters
    List<String> operands = new ArrayList<>();

    /**
     * Parses {@code args} as getopt_long would (unambiguous long-option prefixes included).
     *
     * @throws CommandLine.ParameterException with picocli's message; {@link Usage#getoptError}
     *     words it as getopt does
     */
    public static CommandLineOptions parse(String[] args) {
        CommandLineOptions opts = new CommandLineOptions();
        CommandLine cli = new CommandLine(opts);
        cli.setAbbreviatedOptionsAllowed(true);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setUnmatchedOptionsArePositionalParams(false);
        cli.parseArgs(normalize(args));
        return opts;
    }

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
     * So a bare {@code -F} or {@code --fsfreeze-hook} is made explicit before parsing, and
     * {@code -F/path} becomes {@code --fsfreeze-hook=/path}.
     */
    static String[] normalize(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            String a = out[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-F") || a.equals("--fsfreeze-hook")) {
                out[i] = "--fsfreeze-hook=" + AgentConfig.DEFAULT_FSFREEZE_HOOK;
            } else if (a.startsWith("-F")) {
                out[i] = "--fsfreeze-hook=" + a.substring(2);
            }
        }
        return out;
    }
}
