package dev.jqga.tests.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an agent command that is expected to exit by itself (help, -D, bad options), with a time limit. */
public final class Cli {
    /** What the command printed and how it exited. */
    public record Result(int status, String out, String err) {
        /** stderr without GLib's blank separator lines. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private Cli() {}

    public static Result run(AgentKind kind, Map<String, String> env, Path cwd, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(kind.command());
        cmd.addAll(List.of(args));
        return run(cmd, env, cwd);
    }

    public static Result run(AgentKind kind, String... args) throws IOException, InterruptedException {
        return run(kind, Map.of(), null, args);
    }

    public static Result run(List<String> cmd, Map<String, String> env, Path cwd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putIfAbsent("QGA_CONF", "/nonexistent/qemu-ga.conf");
        pb.environment().putAll(env);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not exit within 60 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
