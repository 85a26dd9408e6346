package dev.jqga.server;

import dev.jqga.Version;
import dev.jqga.commands.ExecCommands;
import dev.jqga.commands.FileCommands;
import dev.jqga.commands.HelperRunner;
import dev.jqga.commands.PowerCommands;
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
import dev.jqga.transport.SerialPortChannel;
import dev.jqga.transport.UnixListenChannel;
import dev.jqga.transport.VirtioSerialChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;

/**
 * Start-up and lifetime of the agent process, in qemu-ga's order: frozen marker, pidfile (as
 * the daemon), log file, persistent state, commands, signals, channel; then (as the daemon)
 * detach; then the request loop until SIGTERM/SIGINT (exit status 0) or a fatal error (1).
 */
public final class Agent {
    private static final Duration VIRTIO_HOST_ABSENT_POLL = Duration.ofMillis(100);
    private static final Duration RETRY_PATH_DELAY = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final PrintStream stderr;
    private final Log log;
    private final Platform platform;
    private final SocketActivation activation;
    private final boolean daemonChild;
    private volatile AgentLoop loop;
    private volatile boolean quit;

    /**
     * @param activation the systemd socket to serve, or null
     * @param daemonChild whether this process is the {@code -d} child that must detach
     */
    public Agent(
            AgentConfig config,
            PrintStream stderr,
            Platform platform,
            SocketActivation activation,
            boolean daemonChild) {
        this.config = absolute(config);
        this.stderr = stderr;
        this.log = new Log(stderr, config.verbose);
        this.platform = platform;
        this.activation = activation;
        this.daemonChild = daemonChild;
    }

    /**
     * File paths made absolute against the starting directory: a daemon works from {@code /}
     * and reopens its channel and deferred files later (a vsock address is not a path).
     */
    private static AgentConfig absolute(AgentConfig c) {
        c.statedir = absolutePath(c.statedir);
        c.pidfile = absolutePath(c.pidfile);
        c.logfile = absolutePath(c.logfile);
        if (c.path != null && !c.method.equals(AgentConfig.VSOCK_LISTEN)) {
            c.path = absolutePath(c.path);
        }
        return c;
    }

    private static String absolutePath(String p) {
        return p == null || p.startsWith("/") ? p : Path.of(p).toAbsolutePath().toString();
    }

    public int run() {
        CommandRegistry registry = new CommandRegistry();
        FreezeState freeze = new FreezeState(Path.of(config.statedir), registry, log);
        try {
            return serve(registry, freeze);
        } catch (ConfigException e) {
            log.critical(e.getMessage());
            return 1;
        } finally {
            Pidfile p = freeze.pidfile();
            if (p != null) {
                p.close();
            }
        }
    }

    private int serve(CommandRegistry registry, FreezeState freeze) throws ConfigException {
        Path statedir = Path.of(config.statedir);
        Path pidfile = Path.of(config.pidfile);
        boolean frozen = freeze.markerPresent();
        if (frozen) {
            Log.early(
                    stderr,
                    Log.Level.WARNING,
                    "previous instance appears to have exited with frozen filesystems. deferring"
                            + " logging/pidfile creation and disabling non-fsfreeze-safe commands until"
                            + " guest-fsfreeze-thaw is issued, or filesystems are manually unfrozen and the file "
                            + statedir.resolve(FreezeState.MARKER) + " is removed");
            freeze.startFrozen(config.logfile, daemonChild ? pidfile : null);
        } else {
            if (daemonChild) {
                freeze.pidfile(Pidfile.write(pidfile, ProcessHandle.current().pid()));
            }
            if (config.logfile != null) {
                openLogfile();
            }
        }
        PersistentState state = PersistentState.load(statedir, frozen);
        QmpJson json = new QmpJson();
        ResponseWriter writer = new ResponseWriter(json, log);
        new SessionCommands(registry, writer, Version.QGA).register();
        new FileCommands(registry, state, platform.files(), writer.payloadBuffer(), log).register();
        platform.processes(log).ifPresent(launcher -> {
            new ExecCommands(registry, launcher, log).register();
            new PowerCommands(registry, new HelperRunner(launcher, null), Path.of("/"), log).register();
        });
        platform.registerCommands(new AgentServices(registry, config, log, state));
        registry.setFilters(new HashSet<>(config.allowRpcs), new HashSet<>(config.blockRpcs));
        Dispatcher dispatcher = new Dispatcher(registry, (command, e) -> log.error(command + ": " + stackTrace(e)));
        SignalHandling.install(this::requestQuit, registry::frozen, log);

        Channel channel = openChannel();
        if (daemonChild) {
            detach();
        }
        while (true) {
            if (channel != null) {
                loop = new AgentLoop(channel, dispatcher, writer, log);
                if (quit) {
                    loop.stop();
                }
                try {
                    loop.run();
                } catch (IOException e) {
                    log.warn("error reading channel: " + Errors.text(e));
                } finally {
                    closeQuietly(channel);
                }
            }
            if (quit || !config.retryPath) {
                return 0;
            }
            log.warn("agent stopped unexpectedly, restarting...");
            log.warn("waiting for channel path...");
            if (!sleepUnlessQuit(RETRY_PATH_DELAY)) {
                return 0;
            }
            channel = tryOpen();
        }
    }

    private void openLogfile() throws ConfigException {
        try {
            log.redirect(Log.appendTo(Path.of(config.logfile)));
        } catch (IOException e) {
            throw new ConfigException("unable to open specified log file: " + Errors.text(e));
        }
    }

    private void detach() throws ConfigException {
        try {
            platform.detach(() -> Daemon.signalReady(stderr));
        } catch (IOException e) {
            throw new ConfigException("failed to daemonize: " + e.getMessage());
        }
    }

    /** The channel; with {@code --retry-path} a channel that cannot be opened yet is retried later. */
    private Channel openChannel() throws ConfigException {
        try {
            return open();
        } catch (IOException | ConfigException e) {
            if (config.retryPath) {
                log.info("failed to initialize guest agent channel, will retry");
                return null;
            }
            throw new ConfigException("failed to create guest agent channel: " + e.getMessage());
        }
    }

    private Channel tryOpen() {
        try {
            return open();
        } catch (IOException | ConfigException e) {
            log.debug("channel not available: " + e.getMessage());
            return null;
        }
    }

    private Channel open() throws IOException, ConfigException {
        if (activation != null) {
            return platform.adoptInheritedSocket(activation.fd());
        }
        Channel c = platform.openChannel(config.method, config.path);
        if (c != null) {
            return c;
        }
        Path path = Path.of(config.path);
        return switch (config.method) {
            case AgentConfig.VIRTIO_SERIAL -> VirtioSerialChannel.open(path, VIRTIO_HOST_ABSENT_POLL);
            case AgentConfig.ISA_SERIAL -> SerialPortChannel.open(config.path);
            case AgentConfig.UNIX_LISTEN -> UnixListenChannel.bind(path);
            default -> throw new ConfigException("unsupported channel method/type: " + config.method);
        };
    }

    /** SIGTERM/SIGINT: finish the request in hand, then leave with status 0. */
    void requestQuit() {
        synchronized (this) {
            quit = true;
            notifyAll();
        }
        AgentLoop l = loop;
        if (l != null) {
            l.stop();
        }
    }

    /** Waits between --retry-path attempts; false when a quit signal came meanwhile. */
    private synchronized boolean sleepUnlessQuit(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while (!quit && (left = deadline - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !quit;
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
