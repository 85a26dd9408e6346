package dev.jqga.linux.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Where guest-exec looks for its program, as GLib's spawn does for qemu-ga
 * (G_SPAWN_SEARCH_PATH_FROM_ENVP): a name with a slash is used as it is; a bare name is looked up
 * in the PATH of the child's environment when the host gave one that has PATH, else in the agent's
 * PATH, else in {@code /bin:/usr/bin:.}. An empty PATH element means the working directory.
 */
final class ExecPathSearch {
    static final String DEFAULT_PATH = "/bin:/usr/bin:.";

    private ExecPathSearch() {}

    /** The paths to try in order; empty for an empty program name (ENOENT). */
    static List<String> candidates(String program, List<String> childEnv, String agentPath) {
        if (program.isEmpty()) {
            return List.of();
        }
        if (program.indexOf('/') >= 0) {
            return List.of(program);
        }
        String path = childEnv == null ? null : lookup(childEnv, "PATH");
        if (path == null) {
            path = agentPath != null ? agentPath : DEFAULT_PATH;
        }
        List<String> out = new ArrayList<>();
        for (String dir : path.split(":", -1)) {
            out.add(dir.isEmpty() ? program : dir.endsWith("/") ? dir + program : dir + "/" + program);
        }
        return out;
    }

    /** The first {@code NAME=value} of an environment list, as g_environ_getenv finds it. */
    static String lookup(List<String> env, String name) {
        String prefix = name + "=";
        for (String e : env) {
            if (e.startsWith(prefix)) {
                return e.substring(prefix.length());
            }
        }
        return null;
    }
}
