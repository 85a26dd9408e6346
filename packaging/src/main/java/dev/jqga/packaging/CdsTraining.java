package dev.jqga.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Makes the distribution's class-data archive {@code lib/jqga.jsa} (AppCDS) for the JVM the
 * launcher runs on. Run through the launcher ({@code bin/jqga-cds}, i.e. {@code JQGA_CDS=dump
 * bin/jqga}) so that this JVM has exactly the launcher's options and class path:
 *
 * <ol>
 *   <li>training: the real agent ({@code bin/jqga}, archive off, {@code -XX:DumpLoadedClassList})
 *       on a temporary unix socket, driven through the requests hosts send most (0xFF +
 *       guest-sync-delimited, guest-info, guest-ping, guest-get-time, read-only queries, error
 *       paths), then SIGTERM, as a host and systemd would;
 *   <li>a static dump ({@code -Xshare:dump}) of that class list with this JVM's options. A static
 *       archive, not a dynamic one, because JDK 17 only archives picocli's Java 5 class files
 *       in static archives;
 *   <li>a check that the archive maps ({@code -Xshare:on}), then an atomic rename into place.
 * </ol>
 *
 * The old archive is removed first, so a failed run leaves none rather than a stale one (a
 * stale archive whose jars kept their size and time would serve old classes). {@code skip} as
 * the first argument only removes it. Beside the archive, {@code lib/jqga.jsa.jvm} names the JVM
 * build it is for, as its {@code release} file does: the JVM would silently refuse the archive
 * on another build, and lose its own default archive with it, so the launcher skips it instead.
 */
public final class CdsTraining {
    private static final List<String> REQUESTS = List.of(
            "\u00ff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":4711}}",
            "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}",
            "{\"execute\":\"guest-info\"}",
            "{\"execute\":\"guest-ping\",\"id\":\"p\"}",
            "{\"execute\":\"guest-get-time\"}",
            "{\"execute\":\"guest-get-osinfo\"}",
            "{\"execute\":\"guest-get-host-name\"}",
            "{\"execute\":\"guest-get-timezone\"}",
            "{\"execute\":\"guest-get-users\"}",
            "{\"execute\":\"guest-get-vcpus\"}",
            "{\"execute\":\"guest-get-fsinfo\"}",
            "{\"execute\":\"guest-get-disks\"}",
            "{\"execute\":\"guest-network-get-interfaces\"}",
            "{\"execute\":\"guest-fsfreeze-status\"}",
            "{\"execute\":\"guest-get-load\"}",
            "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"true\",\"capture-output\":true}}",
            // error paths: unknown command, bad arguments, not an object, a lexical error
            "{\"execute\":\"no-such-command\"}",
            "{\"execute\":\"guest-sync\"}",
            "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"x\"}}",
            "{\"execute\":\"guest-ping\",\"arguments\":{\"extra\":1}}",
            "{\"exec\":\"guest-ping\"}",
            "[1, 2.5, -3e2, true, null, 'single', \"\\u00e9\\n\"]",
            "\u00fe",
            "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":2}}");

    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("jqga.home", ".")).toAbsolutePath();
        Path archive = home.resolve("lib/jqga.jsa");
        Path stamp = home.resolve("lib/jqga.jsa.jvm");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(stamp);
        if (args.length > 0 && args[0].equals("skip")) {
            return;
        }
        Path work = Files.createTempDirectory("jqga-cds-");
        boolean ok = false;
        try {
            Path classList = work.resolve("classes.lst");
            train(home, work, classList);
            addAgentClasses(home.resolve("lib"), classList);
            Path fresh = work.resolve("jqga.jsa");
            dump(classList, fresh, work.resolve("dump.log"));
            verify(fresh, work.resolve("verify.log"));
            Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING);
            archive.toFile().setReadable(true, false);
            // the launcher compares this with the line in its JVM's release file
            Files.writeString(stamp, "JAVA_RUNTIME_VERSION=\"" + System.getProperty("java.runtime.version") + "\"\n");
            System.out.println("jqga-cds: wrote " + archive + " (" + Files.size(archive) / 1024 + " KiB)");
            ok = true;
        } catch (IOException e) {
            System.err.println("jqga-cds: " + e.getMessage());
            System.exit(1);
        } finally {
            if (ok) {
                delete(work);
            } else {
                System.err.println("jqga-cds: no archive made; logs kept in " + work);
            }
        }
    }

    /** Runs the agent through the training requests and stops it with SIGTERM. */
    private static void train(Path home, Path work, Path classList) throws IOException, InterruptedException {
        Path socket = work.resolve("sock");
        Path conf = work.resolve("qemu-ga.conf");
        Files.writeString(conf, "# jqga CDS training\n[general]\nverbose=false\n");
        ProcessBuilder pb = new ProcessBuilder(
                        home.resolve("bin/jqga").toString(),
                        "-m",
                        "unix-listen",
                        "-p",
                        socket.toString(),
                        "-t",
                        work.toString(),
                        "-f",
                        work.resolve("pid").toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.log").toFile());
        String opts = System.getenv().getOrDefault("JQGA_JAVA_OPTS", "");
        pb.environment().put("JQGA_JAVA_OPTS", opts + " -XX:DumpLoadedClassList=" + classList);
        pb.environment().put("JQGA_CDS", "off");
        pb.environment().put("QGA_CONF", conf.toString());
        Process agent = pb.start();
        try (SocketChannel c = connect(socket, agent)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String r : REQUESTS) {
                all.write(r.getBytes(StandardCharsets.ISO_8859_1));
            }
            ByteBuffer out = ByteBuffer.wrap(all.toByteArray());
            while (out.hasRemaining()) {
                c.write(out);
            }
            awaitReply(c, "{\"return\": 2}");
        } finally {
            agent.destroy();
        }
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
            throw new IOException("the training agent did not stop on SIGTERM");
        }
        if (agent.exitValue() != 0 || !Files.exists(classList)) {
            throw new IOException("the training agent exited with " + agent.exitValue());
        }
    }

    private static SocketChannel connect(Path socket, Process agent) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
                return c;
            } catch (IOException notYet) {
                c.close();
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the training agent did not listen on " + socket);
                }
                Thread.sleep(10);
            }
        }
    }

    /** Reads replies until the line {@code last} (the final guest-sync) arrives. */
    private static void awaitReply(SocketChannel c, String last) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        StringBuilder text = new StringBuilder();
        while (text.indexOf(last + "\n") < 0) {
            in.clear();
            if (c.read(in) < 0) {
                throw new IOException("the training agent closed the connection");
            }
            text.append(new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Adds every class of the agent's own Linux jars to the trained list: the training runs
     * unix-listen only, and a virtio-serial start (the one guests make) would otherwise load its
     * transport from the jar, opening it. Classes already listed are listed twice, which the dump
     * takes in its stride; Windows classes stay out.
     */
    private static void addAgentClasses(Path lib, Path classList) throws IOException {
        StringBuilder more = new StringBuilder();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "agent-{core,linux}-*.jar")) {
            for (Path jar : jars) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    j.stream()
                            .map(JarEntry::getName)
                            .filter(n -> n.startsWith("dev/jqga/") && n.endsWith(".class"))
                            .forEach(n -> more.append(n, 0, n.length() - ".class".length())
                                    .append('\n'));
                }
            }
        }
        Files.writeString(classList, more, StandardOpenOption.APPEND);
    }

    /** The static dump, with this JVM's own options and class path (those of the launcher). */
    private static void dump(Path classList, Path archive, Path log) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.add("-Xshare:dump");
        cmd.add("-XX:SharedClassListFile=" + classList);
        cmd.add("-XX:SharedArchiveFile=" + archive);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        run(cmd, log, "the class-data dump");
    }

    /** The archive must map with the launcher's options: {@code -Xshare:on} fails otherwise. */
    private static void verify(Path archive, Path log) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.add("-Xshare:on");
        cmd.add("-XX:SharedArchiveFile=" + archive);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.jqga.Main");
        cmd.add("-V");
        run(cmd, log, "the archive check");
    }

    /** This JVM's binary and options, less the ones about class-data archives and logging. */
    private static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xshare:")
                    && !a.startsWith("-XX:SharedArchiveFile=")
                    && !a.startsWith("-XX:DumpLoadedClassList=")
                    && !a.startsWith("-Xlog:")
                    && !a.startsWith("-Djqga.home=")) {
                cmd.add(a);
            }
        }
        return cmd;
    }

    private static void run(List<String> cmd, Path log, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "): " + String.join(" ", cmd));
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
