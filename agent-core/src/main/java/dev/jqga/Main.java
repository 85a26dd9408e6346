package dev.jqga;

import dev.jqga.config.AgentConfig;
import dev.jqga.config.CommandLineOptions;
import dev.jqga.config.ConfigException;
import dev.jqga.config.KeyFile;
import dev.jqga.dispatch.CommandCatalog;
import dev.jqga.server.Agent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** The {@code jqga} command: qemu-ga's command line and start-up sequence. */
public final class Main {
    public static final String QGA_VERSION = Version.QGA;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv());
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLineOptions opts = new CommandLineOptions();
        CommandLine cli = new CommandLine(opts);
        cli.setOverwrittenOptionsAllowed(true); // getopt: a repeated option's last value wins
        try {
            cli.parseArgs(CommandLineOptions.normalize(args));
        } catch (CommandLine.ParameterException e) {
            err.println("jqga: " + e.getMessage());
            out.println("Unknown option, try 'jqga --help' for more information.");
            return 1;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return 0;
        }
        if (opts.version) {
            out.println("QEMU Guest Agent " + QGA_VERSION + " (jqga " + Version.JQGA + ")");
            return 0;
        }
        if (opts.listCommandsRequested()) {
            CommandCatalog.NAMES.forEach(out::println);
            return 0;
        }
        AgentConfig config;
        try {
            config = configure(opts, env);
        } catch (ConfigException e) {
            err.println("jqga: " + e.getMessage());
            return 1;
        }
        if (opts.dumpConf) {
            out.print(config.dump());
            out.flush();
            return 0;
        }
        return new Agent(config, err, env).run();
    }

    /** Config file, then command line, then defaults and the checks qemu-ga makes before -D. */
    static AgentConfig configure(CommandLineOptions opts, Map<String, String> env) throws ConfigException {
        AgentConfig config = new AgentConfig();
        String explicit = opts.config;
        String file = explicit != null ? explicit : env.getOrDefault("QGA_CONF", AgentConfig.DEFAULT_CONFIG);
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            config.apply(KeyFile.parse(text));
        } catch (NoSuchFileException e) {
            if (explicit != null) {
                throw new ConfigException("error loading configuration from path: " + file
                        + ", Failed to open file \u201C" + file + "\u201D: No such file or directory");
            }
        } catch (IOException e) {
            throw new ConfigException("error loading configuration from path: " + file + ", " + e.getMessage());
        } catch (ConfigException e) {
            throw new ConfigException("error loading configuration from path: " + file + ", " + e.getMessage());
        }
        opts.applyTo(config);
        if (config.method == null) {
            config.method = "virtio-serial";
        }
        if (config.pidfile == null) {
            config.pidfile = AgentConfig.DEFAULT_PIDFILE;
        }
        if (config.statedir == null) {
            config.statedir = AgentConfig.DEFAULT_STATEDIR;
        }
        if (config.path == null) {
            switch (config.method) {
                case "virtio-serial" -> config.path = dev.jqga.transport.VirtioSerialChannel.DEFAULT_PATH;
                case "isa-serial" -> config.path = "/dev/ttyS0";
                default -> throw new ConfigException("must specify a path for this channel");
            }
        }
        return config;
    }
}
