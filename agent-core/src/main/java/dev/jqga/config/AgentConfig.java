package dev.jqga.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's effective configuration: config file first, command line over it ("last wins" for
 * scalars; lists accumulate file then command line). Field names follow the config file keys.
 */
public final class AgentConfig {
    public static final String DEFAULT_CONFIG = "/etc/qemu/qemu-ga.conf";
    public static final String DEFAULT_PIDFILE = "/var/run/qemu-ga.pid";
    public static final String DEFAULT_STATEDIR = "/var/run";
    public static final String DEFAULT_FSFREEZE_HOOK = "/etc/qemu/fsfreeze-hook";
    public static final String DEFAULT_VIRTIO_PATH = "/dev/virtio-ports/org.qemu.guest_agent.0";
    public static final String DEFAULT_ISA_PATH = "/dev/ttyS0";

    public static final String VIRTIO_SERIAL = "virtio-serial";
    public static final String ISA_SERIAL = "isa-serial";
    public static final String UNIX_LISTEN = "unix-listen";
    public static final String VSOCK_LISTEN = "vsock-listen";

    public boolean daemon;
    public String method;
    public String path;
    public String logfile;
    public String pidfile;
    public String fsfreezeHook;
    public String statedir;
    public boolean verbose;
    public boolean retryPath;
    public final List<String> blockRpcs = new ArrayList<>();
    public final List<String> allowRpcs = new ArrayList<>();

    /**
     * Loads a config file as qemu-ga does: a missing file is fine unless it was named with
     * {@code -c}; anything else that goes wrong is fatal, in GLib's words.
     */
    public void load(Path file, boolean mustExist) throws ConfigException {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw loadError(file, "Not a regular file");
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw loadError(file, "No such file or directory");
            }
            return;
        } catch (AccessDeniedException e) {
            throw loadError(file, "Permission denied");
        } catch (IOException e) {
            throw loadError(file, e.getMessage());
        }
        try {
            apply(KeyFile.parse(text));
        } catch (ConfigException e) {
            throw loadError(file, e.getMessage());
        }
    }

    private static ConfigException loadError(Path file, String why) {
        return new ConfigException("error loading configuration from path: " + file + ", " + why);
    }

    /**
     * What qemu-ga fills in after parsing: the default method, pidfile and statedir, and the
     * default path of the serial methods; the listening methods need {@code -p}.
     */
    public void applyDefaults() throws ConfigException {
        if (method == null) {
            method = VIRTIO_SERIAL;
        }
        if (pidfile == null) {
            pidfile = DEFAULT_PIDFILE;
        }
        if (statedir == null) {
            statedir = DEFAULT_STATEDIR;
        }
    }

    /** The path check qemu-ga makes before {@code --dump-conf} (skipped when socket-activated). */
    public void requirePath() throws ConfigException {
        if (path != null) {
            return;
        }
        switch (method) {
            case VIRTIO_SERIAL -> path = DEFAULT_VIRTIO_PATH;
            case ISA_SERIAL -> path = DEFAULT_ISA_PATH;
            default -> throw new ConfigException("must specify a path for this channel");
        }
    }

    /** Reads the {@code [general]} group; other groups and keys are ignored, as by qemu-ga. */
    public void apply(KeyFile kf) throws ConfigException {
        String g = "general";
        Boolean b;
        if ((b = kf.getBoolean(g, "daemon")) != null) {
            daemon = b;
        }
        String s;
        if ((s = kf.get(g, "method")) != null) {
            method = s;
        }
        if ((s = kf.get(g, "path")) != null) {
            path = s;
        }
        if ((s = kf.get(g, "logfile")) != null) {
            logfile = s;
        }
        if ((s = kf.get(g, "pidfile")) != null) {
            pidfile = s;
        }
        if ((s = kf.get(g, "fsfreeze-hook")) != null) {
            fsfreezeHook = s;
        }
        if ((s = kf.get(g, "statedir")) != null) {
            statedir = s;
        }
        if ((b = kf.getBoolean(g, "verbose")) != null && b) {
            verbose = true;
        }
        if ((b = kf.getBoolean(g, "retry-path")) != null) {
            retryPath = b;
        }
        if ((s = kf.get(g, "block-rpcs")) != null) {
            blockRpcs.addAll(splitList(s));
        }
        if ((s = kf.get(g, "allow-rpcs")) != null) {
            allowRpcs.addAll(splitList(s));
        }
    }

    /**
     * A list of command names. qemu-ga splits on ',' only, which silently breaks the GLib-style
     * ';' lists its own docs show; we accept both. Order is kept as written (qemu-ga reverses
     * each list, which only shows in {@code --dump-conf}).
     */
    public static List<String> splitList(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split("[,;]")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The {@code --dump-conf} text; reading it back gives the same configuration. */
    public String dump() {
        StringBuilder sb = new StringBuilder("[general]\n");
        sb.append("daemon=").append(daemon).append('\n');
        sb.append("method=").append(KeyFile.escape(method)).append('\n');
        if (path != null) {
            sb.append("path=").append(KeyFile.escape(path)).append('\n');
        }
        if (logfile != null) {
            sb.append("logfile=").append(KeyFile.escape(logfile)).append('\n');
        }
        sb.append("pidfile=").append(KeyFile.escape(pidfile)).append('\n');
        if (fsfreezeHook != null) {
            sb.append("fsfreeze-hook=").append(KeyFile.escape(fsfreezeHook)).append('\n');
        }
        sb.append("statedir=").append(KeyFile.escape(statedir)).append('\n');
        sb.append("verbose=").append(verbose).append('\n');
        sb.append("retry-path=").append(retryPath).append('\n');
        sb.append("block-rpcs=")
                .append(KeyFile.escape(String.join(",", blockRpcs)))
                .append('\n');
        sb.append("allow-rpcs=")
                .append(KeyFile.escape(String.join(",", allowRpcs)))
                .append('\n');
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentConfig c
                && daemon == c.daemon
                && verbose == c.verbose
                && retryPath == c.retryPath
                && Objects.equals(method, c.method)
                && Objects.equals(path, c.path)
                && Objects.equals(logfile, c.logfile)
                && Objects.equals(pidfile, c.pidfile)
                && Objects.equals(fsfreezeHook, c.fsfreezeHook)
                && Objects.equals(statedir, c.statedir)
                && blockRpcs.equals(c.blockRpcs)
                && allowRpcs.equals(c.allowRpcs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, statedir, blockRpcs, allowRpcs);
    }

    @Override
    public String toString() {
        return dump();
    }
}
