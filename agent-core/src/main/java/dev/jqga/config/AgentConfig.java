package dev.jqga.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's effective configuration: config file first, command line over it ("last wins" for
 * scalars; lists accumulate file then command line). Field names follow the config file keys.
 */
public final class AgentConfig {
    public static final String DEFAULT_CONFIG = "/etc/qemu/qemu-ga.conf";
    public static final String DEFAULT_PIDFILE = "/var/run/qemu-ga.pid";
    public static final String DEFAULT_STATEDIR = "/var/run";
    public static final String DEFAULT_FSFREEZE_HOOK = "/etc/qemu/fsfreeze-hook";

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
     * ';' lists its own docs show; we accept both.
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
}
