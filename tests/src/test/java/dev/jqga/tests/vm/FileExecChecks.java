package dev.jqga.tests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * guest-file-* and guest-exec with their real effects checked from a second angle: a file
 * written through guest-file-* is read back by a program guest-exec runs and by the probe; a file
 * the probe made is read and seeked through guest-file-*; exit codes, signals, output and input
 * of real programs are cross-checked with the probe.
 */
final class FileExecChecks {
    private static final String[] FILE_WRITE = {"guest-file-open", "guest-file-write", "guest-file-close"};
    private static final String[] EXEC = {"guest-exec", "guest-exec-status"};

    private FileExecChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("file-write-read-back", FileExecChecks::writeReadBack, concat(FILE_WRITE, EXEC)),
                Check.of(
                        "file-read-seek",
                        FileExecChecks::readSeek,
                        "guest-file-open",
                        "guest-file-read",
                        "guest-file-seek",
                        "guest-file-close"),
                Check.of("file-open-error", FileExecChecks::openError, "guest-file-open"),
                Check.of("exec-exit-code", FileExecChecks::exitCode, EXEC),
                Check.of("exec-signal", FileExecChecks::signal, EXEC),
                Check.of("exec-output", FileExecChecks::output, EXEC),
                Check.of("exec-input", FileExecChecks::input, EXEC));
    }

    /** Every byte value, through guest-file-write, back through `cat` under guest-exec and the probe. */
    static String writeReadBack(GuestSession s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 16 * 256; i++) {
            b.write(i);
        }
        b.writeBytes("jqga\n".getBytes(StandardCharsets.US_ASCII));
        byte[] data = b.toByteArray();
        String path = "/tmp/qga-write-" + s.agent();
        long h = s.port()
                .ok("guest-file-open", Map.of("path", path, "mode", "w"))
                .asLong();
        JsonNode w = s.port().ok("guest-file-write", Map.of("handle", h, "buf-b64", b64(data)));
        s.port().ok("guest-file-close", Map.of("handle", h));
        if (w.path("count").asInt() != data.length) {
            throw new CheckFailed("guest-file-write: " + w);
        }
        JsonNode st = exec(s, "/bin/cat", List.of(path), null);
        byte[] back = Base64.getDecoder().decode(st.path("out-data").asText());
        if (st.path("exitcode").asInt(-1) != 0 || !Arrays.equals(back, data)) {
            throw new CheckFailed("cat read back " + back.length + " bytes (status " + st + ")");
        }
        String probeSum = s.probe().run("sha256sum " + path).split(" ")[0];
        String sum =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        if (!probeSum.equals(sum)) {
            throw new CheckFailed("the probe's sha256sum differs: " + probeSum);
        }
        return data.length + " bytes written; guest-exec cat and the probe's sha256sum read the same";
    }

    /** A file the probe made, read whole and in pieces through guest-file-read and -seek. */
    static String readSeek(GuestSession s) throws Exception {
        String path = "/tmp/qga-seq-" + s.agent();
        s.probe().run("seq 1 1000 > " + path);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            text.append(i).append('\n');
        }
        byte[] want = text.toString().getBytes(StandardCharsets.US_ASCII);
        long h = s.port()
                .ok("guest-file-open", Map.of("path", path, "mode", "r"))
                .asLong();
        expectRead(s, h, 65536, want, true);
        expectSeek(s, h, 10, "set", 10);
        expectRead(s, h, 6, Arrays.copyOfRange(want, 10, 16), false);
        expectSeek(s, h, -4, "end", want.length - 4);
        expectRead(s, h, 100, Arrays.copyOfRange(want, want.length - 4, want.length), true);
        s.port().ok("guest-file-close", Map.of("handle", h));
        return want.length + " bytes read whole, then 6 at offset 10, then the last 4 (seek from the end)";
    }

    private static void expectRead(GuestSession s, long h, int count, byte[] want, boolean eof) throws Exception {
        JsonNode r = s.port().ok("guest-file-read", Map.of("handle", h, "count", count));
        byte[] got = Base64.getDecoder().decode(r.path("buf-b64").asText());
        if (!Arrays.equals(got, want)
                || r.path("count").asInt() != want.length
                || r.path("eof").asBoolean() != eof) {
            throw new CheckFailed("guest-file-read count " + count + ": " + SessionChecks.abbreviate(r));
        }
    }

    private static void expectSeek(GuestSession s, long h, long offset, String whence, long position) throws Exception {
        JsonNode r = s.port().ok("guest-file-seek", Map.of("handle", h, "offset", offset, "whence", whence));
        if (r.path("position").asLong() != position || r.path("eof").asBoolean()) {
            throw new CheckFailed("guest-file-seek " + offset + " " + whence + ": " + r);
        }
    }

    static String openError(GuestSession s) throws Exception {
        JsonNode r = s.port().call("guest-file-open", Map.of("path", "/nonexistent/dir/file", "mode", "r"));
        String want = "failed to open file '/nonexistent/dir/file' (mode: 'r'): No such file or directory";
        if (!r.path("error").path("class").asText().equals("GenericError")
                || !r.path("error").path("desc").asText().equals(want)) {
            throw new CheckFailed("want GenericError '" + want + "', got " + r);
        }
        return "GenericError: " + want;
    }

    /** A shell that records its pid and exits 7: the agent's pid and exit code against the probe's. */
    static String exitCode(GuestSession s) throws Exception {
        String mark = "/tmp/qga-exec-pid-" + s.agent();
        long pid = start(s, "/bin/sh", List.of("-c", "echo $$ > " + mark + "; exit 7"), null);
        JsonNode st = await(s, pid);
        if (st.path("exitcode").asInt(-1) != 7 || st.has("signal")) {
            throw new CheckFailed("want exitcode 7, got " + st);
        }
        String seen = s.probe().run("cat " + mark).trim();
        if (!seen.equals(Long.toString(pid))) {
            throw new CheckFailed("guest-exec said pid " + pid + ", the program wrote " + seen);
        }
        return "sh exited 7, its pid " + pid + " is the one it wrote";
    }

    /** A real program killed from the side (the probe sends SIGTERM): the agent reports the signal. */
    static String signal(GuestSession s) throws Exception {
        long pid = start(s, "/bin/sleep", List.of("600"), null);
        JsonNode running = s.port().ok("guest-exec-status", Map.of("pid", pid));
        if (running.path("exited").asBoolean()) {
            throw new CheckFailed("sleep 600 exited at once: " + running);
        }
        s.probe().run("kill -TERM " + pid);
        JsonNode st = await(s, pid);
        if (st.path("signal").asInt(-1) != 15 || st.has("exitcode")) {
            throw new CheckFailed("want signal 15 and no exitcode, got " + st);
        }
        return "sleep 600 running, then killed by the probe's SIGTERM: signal 15";
    }

    /** Captured stdout against the probe's view, and stderr apart from it. */
    static String output(GuestSession s) throws Exception {
        JsonNode st = exec(s, "/bin/uname", List.of("-a"), null);
        String out = text(st, "out-data");
        String probe = s.probe().run("uname -a") + "\n";
        if (st.path("exitcode").asInt(-1) != 0 || !out.equals(probe)) {
            throw new CheckFailed("uname -a said " + out + " (status " + st + "), the probe " + probe);
        }
        JsonNode err = exec(s, "/bin/sh", List.of("-c", "echo to-stdout; echo to-stderr >&2; exit 3"), null);
        if (!text(err, "out-data").equals("to-stdout\n")
                || !text(err, "err-data").equals("to-stderr\n")
                || err.path("exitcode").asInt(-1) != 3) {
            throw new CheckFailed("stdout/stderr/exit mixed up: " + err);
        }
        return "uname -a as the probe sees it; stdout, stderr and exit code 3 apart";
    }

    /** input-data reaches the program's stdin, which then ends (cat exits). */
    static String input(GuestSession s) throws Exception {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            t.append("line ").append(i).append('\n');
        }
        byte[] in = t.toString().getBytes(StandardCharsets.US_ASCII);
        JsonNode st = exec(s, "/bin/cat", List.of(), in);
        if (st.path("exitcode").asInt(-1) != 0 || !text(st, "out-data").equals(t.toString())) {
            throw new CheckFailed("cat gave back " + text(st, "out-data").length() + " of " + in.length + " bytes");
        }
        return in.length + " bytes through cat's stdin and back";
    }

    /** guest-exec with capture-output, then guest-exec-status until it has exited. */
    static JsonNode exec(GuestSession s, String path, List<String> args, byte[] input) throws Exception {
        return await(s, start(s, path, args, input));
    }

    static long start(GuestSession s, String path, List<String> args, byte[] input) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("path", path);
        a.put("arg", args);
        a.put("capture-output", true);
        if (input != null) {
            a.put("input-data", b64(input));
        }
        return s.port().ok("guest-exec", a).path("pid").asLong();
    }

    static JsonNode await(GuestSession s, long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode st = s.port().ok("guest-exec-status", Map.of("pid", pid));
            if (st.path("exited").asBoolean()) {
                return st;
            }
            GuestVm.sleep(50);
        }
        throw new CheckFailed("pid " + pid + " still running after 30 s");
    }

    private static String text(JsonNode status, String member) {
        return new String(Base64.getDecoder().decode(status.path(member).asText()), StandardCharsets.UTF_8);
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
