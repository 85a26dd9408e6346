package dev.jqga.tests.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One boot of the test guest under QEMU, with the agent chosen by {@code qga_agent=} on the
 * kernel command line. The agent's port is a chardev socket as Proxmox and libvirt attach it
 * ({@code -chardev socket,server=on,wait=off} + {@code virtserialport name=org.qemu.guest_agent.0});
 * a second port carries the probe; QMP reports port and power events. Serial console and agent
 * log (second serial port) are files in the run directory, which is kept when a check failed.
 * QEMU is stopped by its pid.
 */
final class GuestVm implements AutoCloseable {
    /** The artefacts of tests/vm/build-image.sh. */
    record Image(Path kernel, Path initrd, Path root, Path data) {}

    private final Path runDir;
    private final Process qemu;
    private final long startNanos;
    private final String accel;
    private QmpMonitor qmp;
    private boolean keep;
    private boolean closed;

    private GuestVm(Path runDir, Process qemu, long startNanos, String accel) {
        this.runDir = runDir;
        this.qemu = qemu;
        this.startNanos = startNanos;
        this.accel = accel;
    }

    static GuestVm boot(Image image, String agent) throws IOException {
        // short: unix socket paths end at 107 bytes
        Path run = Files.createTempDirectory(Path.of("/tmp"), "jqga-vm-" + agent + "-");
        String accel = kvmUsable() ? "kvm" : "tcg";
        List<String> cmd = new ArrayList<>(
                List.of("qemu-system-x86_64", "-name", "jqga-" + agent, "-machine", "pc", "-accel", accel));
        if (accel.equals("kvm")) {
            cmd.addAll(List.of("-cpu", "host"));
        }
        cmd.addAll(List.of(
                "-m",
                "1024,slots=2,maxmem=2G",
                "-smp",
                "2",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-serial",
                "file:" + run.resolve("console.log"),
                "-serial",
                "file:" + run.resolve("agent.log"),
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initrd().toString(),
                "-append",
                "console=ttyS0 root=/dev/vda rw panic=-1 qga_agent=" + agent,
                "-drive",
                drive(image.root()),
                "-drive",
                drive(image.data()),
                "-device",
                "virtio-rng-pci",
                "-device",
                "virtio-serial-pci,id=vser0",
                "-chardev",
                "socket,path=" + run.resolve("qga.sock") + ",server=on,wait=off,id=qga0",
                "-device",
                "virtserialport,bus=vser0.0,chardev=qga0,id=qgaport,name=org.qemu.guest_agent.0",
                "-chardev",
                "socket,path=" + run.resolve("probe.sock") + ",server=on,wait=off,id=probe0",
                "-device",
                "virtserialport,bus=vser0.0,chardev=probe0,id=probeport,name=test.probe.0",
                "-qmp",
                "unix:" + run.resolve("qmp.sock") + ",server=on,wait=off"));
        Files.writeString(run.resolve("qemu.cmdline"), String.join(" ", cmd) + "\n");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(run.resolve("qemu.log").toFile())
                .start();
        GuestVm vm = new GuestVm(run, p, start, accel);
        try {
            vm.qmp = QmpMonitor.connect(vm.awaitSocket(run.resolve("qmp.sock")));
            return vm;
        } catch (IOException | RuntimeException e) {
            vm.keepLogs();
            vm.close();
            throw e;
        }
    }

    private static String drive(Path file) {
        return "file=" + file + ",if=virtio,format=raw,discard=unmap,snapshot=on";
    }

    /** KVM only where it can work: /dev/kvm read-write and a CPU with vmx or svm. */
    static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return false;
        }
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo"));
            return flags.matches("(?s).*\\bflags\\s*:[^\\n]*\\b(vmx|svm)\\b.*");
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for QEMU to create a listening socket (it does so before the guest runs). */
    Path awaitSocket(Path socket) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket)) {
            if (!qemu.isAlive()) {
                throw new IOException("QEMU exited with " + qemu.exitValue() + ": " + log("qemu.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("QEMU made no " + socket + " within 30 s");
            }
            sleep(20);
        }
        return socket;
    }

    Path agentSocket() {
        return runDir.resolve("qga.sock");
    }

    Path probeSocket() {
        return runDir.resolve("probe.sock");
    }

    QmpMonitor qmp() {
        return qmp;
    }

    Path runDir() {
        return runDir;
    }

    String accel() {
        return accel;
    }

    /** Seconds since QEMU was started. */
    double secondsSinceStart(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    boolean isRunning() {
        return qemu.isAlive();
    }

    /** QEMU's exit status, or null if it is still running after the timeout. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return qemu.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? qemu.exitValue() : null;
    }

    long pid() {
        return qemu.pid();
    }

    String log(String name) {
        try {
            // lenient: agent logs may hold raw request bytes (0xFF)
            return new String(Files.readAllBytes(runDir.resolve(name)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no " + name + ": " + e + ")";
        }
    }

    void keepLogs() {
        keep = true;
    }

    /** Stops QEMU by its pid (QMP quit, then SIGTERM, then SIGKILL) and removes the run dir. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (qemu.isAlive() && qmp != null) {
                try {
                    qmp.execute("quit", Duration.ofSeconds(5));
                } catch (IOException e) {
                    // fall through to the signals
                }
            }
            if (qmp != null) {
                qmp.close();
            }
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroy();
                if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                    qemu.destroyForcibly();
                    qemu.waitFor();
                }
            }
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (keep) {
            return;
        }
        try (Stream<Path> s = Files.walk(runDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
