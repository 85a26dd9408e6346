package dev.jqga;

import dev.jqga.config.AgentConfig;
import dev.jqga.config.CommandLineOptions;
import dev.jqga.config.ConfigException;
import dev.jqga.config.Usage;
import dev.jqga.dispatch.CommandCatalog;
import dev.jqga.log.Log;
import dev.jqga.platform.Platform;
import dev.jqga.server.Agent;
import dev.jqga.server.Daemon;
import dev.jqga.server.SocketActivation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code jqga} command: qemu-ga's command line and the checks it makes before starting, in
 * its order (config file, command line, defaults, socket activation, the path check, then
 * {@code --dump-conf}). A bad option or configuration gets one line and exit status 1.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv(), Platform.detect());
        System.exit(code);
    }

    /** The name we were started by, for messages (the launcher passes its {@code $0}). */
    static String argv0() {
        return System.getProperty("jqga.argv0", "jqga");
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Platform platform) {
        CommandLineOptions opts;
        try {
            opts = CommandLineOptions.parse(args);
        } catch (CommandLine.ParameterException e) {
            err.println(Usage.getoptError(argv0(), e, args));
            out.print(Usage.unknownOption(argv0()));
            out.flush();
            return 1;
        }
        if (opts.help) {
            out.print(Usage.help(argv0()));
            out.flush();
            return 0;
        }
        if (opts.version) {
            out.print(Usage.version());
            out.flush();
            return 0;
        }
        if (opts.listCommandsRequested()) {
            CommandCatalog.NAMES.forEach(out::println);
            out.flush();
            return 0;
        }
        AgentConfig config;
        SocketActivation activation;
        try {
            config = configure(opts, env);
            activation = SocketActivation.detect(env, ProcessHandle.current().pid(), platform);
            if (activation != null) {
                config.method = activation.method();
                config.path = null;
            } else {
                config.requirePath();
            }
        } catch (ConfigException e) {
            Log.early(err, Log.Level.CRITICAL, e.getMessage());
            return 1;
        }
        if (opts.dumpConf) {
            out.print(config.dump());
            out.flush();
            return 0;
        }
        boolean daemonChild = Daemon.isChild(env);
        if (config.daemon && !daemonChild) {
            return Daemon.launch(err, activation, platform);
        }
        return new Agent(config, err, platform, activation, config.daemon && daemonChild).run();
    }

    /** Config file ({@code -c}, else {@code $QGA_CONF}, else the default), then the command line, then defaults. */
    static AgentConfig configure(CommandLineOptions opts, Map<String, String> env) throws ConfigException {
        AgentConfig config = new AgentConfig();
        String envConf = env.get("QGA_CONF");
        String file = opts.config != null
                ? opts.config
                : envConf != null && !envConf.isEmpty() ? envConf : AgentConfig.DEFAULT_CONFIG;
        config.load(Path.of(file), opts.config != null);
        opts.applyTo(config);
        config.applyDefaults();
        return config;
    }
}
