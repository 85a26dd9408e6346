package dev.jqga.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * qemu-ga's command line, same short and long names (getopt string
 * {@code hVvdc:m:p:l:f:F::b:a:s:t:Dr}). Options only record what was given; {@link #applyTo}
 * lays them over the config file. The help text is {@link Usage}'s, in qemu-ga's layout.
 *
 * <p>The options are declared through picocli's programmatic model rather than annotations: the
 * annotated form costs ~45 ms more start-up (an annotation proxy per option, generic-type
 * reflection), and start-up is what a host waits for after a guest boots.
 */
public final class CommandLineOptions {
    public boolean help;
    public boolean version;
    public String config;
    String method;
    String path;
    String logfile;
    String pidfile;
    /** getopt's optional argument: only attached ({@code -F/path}, {@code --fsfreeze-hook=/path}); see {@link #normalize}. */
    String fsfreezeHook;

    String statedir;
    boolean verbose;
    boolean daemonize;
    List<String> blockRpcs = new ArrayList<>();
    List<String> allowRpcs = new ArrayList<>();
    public boolean dumpConf;
    boolean retryPath;
    /** Windows service commands; on other systems qemu-ga's getopt accepts and ignores the option. */
    String service;
    /** getopt leaves non-option words alone and qemu-ga never looks at them. */
    List<String> operands = new ArrayList<>();

    /**
     * Parses {@code args} as getopt_long would (unambiguous long-option prefixes included).
     *
     * @throws CommandLine.ParameterException with picocli's message; {@link Usage#getoptError}
     *     words it as getopt does
     */
    public static CommandLineOptions parse(String[] args) {
        ParseResult r = new CommandLine(spec()).parseArgs(normalize(args));
        CommandLineOptions o = new CommandLineOptions();
        o.help = r.hasMatchedOption("-h");
        o.version = r.hasMatchedOption("-V");
        o.verbose = r.hasMatchedOption("-v");
        o.daemonize = r.hasMatchedOption("-d");
        o.dumpConf = r.hasMatchedOption("-D");
        o.retryPath = r.hasMatchedOption("-r");
        o.config = r.matchedOptionValue("-c", null);
        o.method = r.matchedOptionValue("-m", null);
        o.path = r.matchedOptionValue("-p", null);
        o.logfile = r.matchedOptionValue("-l", null);
        o.pidfile = r.matchedOptionValue("-f", null);
        o.fsfreezeHook = r.matchedOptionValue("-F", null);
        o.statedir = r.matchedOptionValue("-t", null);
        o.service = r.matchedOptionValue("-s", null);
        o.blockRpcs = r.matchedOptionValue("-b", o.blockRpcs);
        o.allowRpcs = r.matchedOptionValue("-a", o.allowRpcs);
        o.operands = r.matchedPositionalValue(0, o.operands);
        return o;
    }

    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("jqga");
        spec.parser()
                .abbreviatedOptionsAllowed(true)
                .overwrittenOptionsAllowed(true)
                .unmatchedOptionsArePositionalParams(false);
        for (String[] names : new String[][] {
            {"-h", "--help"}, {"-V", "--version"}, {"-v", "--verbose"},
            {"-d", "--daemonize"}, {"-D", "--dump-conf"}, {"-r", "--retry-path"}
        }) {
            spec.addOption(OptionSpec.builder(names).type(boolean.class).build());
        }
        for (String[] names : new String[][] {
            {"-c", "--config"}, {"-m", "--method"}, {"-p", "--path"}, {"-l", "--logfile"},
            {"-f", "--pidfile"}, {"-F", "--fsfreeze-hook"}, {"-t", "--statedir"}, {"-s"}
        }) {
            spec.addOption(OptionSpec.builder(names).type(String.class).build());
        }
        for (String[] names : new String[][] {{"-b", "--block-rpcs"}, {"-a", "--allow-rpcs"}}) {
            spec.addOption(OptionSpec.builder(names)
                    .type(List.class)
                    .auxiliaryTypes(String.class)
                    .build());
        }
        spec.addPositional(PositionalParamSpec.builder()
                .type(List.class)
                .auxiliaryTypes(String.class)
                .arity("0..*")
                .build());
        return spec;
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
