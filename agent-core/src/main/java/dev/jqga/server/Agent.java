package dev.jqga.server;

import dev.jqga.Version;
import dev.jqga.commands.ExecCommands;
import dev.jqga.commands.FileCommands;
import dev.jqga.commands.SessionCommands;
import dev.jqga.config.AgentConfig;
import dev.jqga.config.ConfigException;
import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.dispatch.Dispatcher;
import dev.jqga.log.Log;
import dev.jqga.platform.AgentServices;
import dev.jqga.platform.Platform;
import dev.jqga.protocol.QmpJson;
import dev.jqga.transport.Channel;
import dev.jqga.transport.UnixListenChannel;
import dev.jqga.transport.VirtioSerialChannel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;

/**
 * Start-up and lifetime of the agent process: logging, persistent state, commands, channel,
 * signals, then the request loop until SIGTERM/SIGINT (exit status 0) or a fatal error (1).
 */
public final class Agent {
    private static final Duration VIRTIO_HOST_ABSENT_POLL = Duration.ofMillis(100);
    private static final Duration RETRY_PATH_DELAY = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final Log log;
    private final Map<String, String> env;
    private volatile AgentLoop loop;
    private volatile boolean quit;

    public Agent(AgentConfig config, PrintStream stderr, Map<String, String> env) {
        this.config = config;
        this.log = new Log(stderr, config.verbose);
        this.env = env;
    }

    public int run() {
        try {
            return serve();
        } catch (ConfigException e) {
            log.critical(e.getMessage());
            return 1;
        }
    }

    private int serve() throws ConfigException {
        if (config.logfile != null) {
            try {
                log.redirect(new PrintStream(new FileOutputStream(config.logfile, true), true));
            } catch (IOException e) {
                throw new ConfigException("unable to open specified log file: " + Errors.text(e));
            }
        }
        Platform platform = Platform.detect();
        PersistentState state = PersistentState.load(Path.of(config.statedir));
        CommandRegistry registry = new CommandRegistry();
        QmpJson json = new QmpJson();
        ResponseWriter writer = new ResponseWriter(json, log);
        new SessionCommands(registry, writer, Version.QGA).register();
        new FileCommands(registry, state, platform.files(), log).register();
        platform.processes(log).ifPresent(p -> new ExecCommands(registry, p, log).register());
        platform.registerCommands(new AgentServices(registry, config, log, state));
        registry.setFilters(new HashSet<>(config.allowRpcs), new HashSet<>(config.blockRpcs));
        Dispatcher dispatcher = new Dispatcher(registry, (command, e) -> log.error(command + ": " + stackTrace(e)));

        Channel channel = openChannel(platform);
        SignalHandling.install(this::requestQuit, registry::frozen, log);
        while (true) {
            if (channel != null) {
                loop = new AgentLoop(channel, dispatcher, writer, log);
                if (quit) {
                    loop.stop();
                }
                try {
                    loop.run();
                } catch (IOException e) {
                    log.error("channel read failed: " + Errors.text(e));
                } finally {
                    closeQuietly(channel);
                }
            }
            if (quit || !config.retryPath) {
                return 0;
            }
            log.warn("agent stopped unexpectedly, restarting...");
            log.warn("waiting for channel path...");
            sleep(RETRY_PATH_DELAY);
            channel = tryOpen(platform);
        }
    }

    private Channel openChannel(Platform platform) throws ConfigException {
        try {
            Channel activated = platform.socketActivated();
            if (activated != null) {
                return activated;
            }
            return open(platform);
        } catch (IOException e) {
            if (config.retryPath) {
                log.info("failed to initialize guest agent channel, will retry");
                return null;
            }
            throw new ConfigException("failed to open channel " + config.path + ": " + Errors.text(e)
                    + "\nerror initializing guest agent");
        }
    }

    private Channel tryOpen(Platform platform) {
        try {
            return open(platform);
        } catch (IOException | ConfigException e) {
            return null;
        }
    }

    private Channel open(Platform platform) throws IOException, ConfigException {
        switch (config.method) {
            case "virtio-serial":
                return VirtioSerialChannel.open(Path.of(config.path), VIRTIO_HOST_ABSENT_POLL);
            case "unix-listen":
                return UnixListenChannel.bind(Path.of(config.path));
            default:
                Channel c = platform.openChannel(config.method, config.path);
                if (c == null) {
                    throw new ConfigException("unsupported channel method/type: " + config.method);
                }
                return c;
        }
    }

    /** SIGTERM/SIGINT: finish the request in hand, then leave with status 0. */
    void requestQuit() {
        quit = true;
        AgentLoop l = loop;
        if (l != null) {
            l.stop();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString();
    }
}
