package dev.jqga.linux.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jqga.commands.HelperRunner;
import dev.jqga.commands.PowerCommands;
import dev.jqga.commands.PowerCommands.SuspendMode;
import dev.jqga.dispatch.CommandRegistry;
import dev.jqga.linux.exec.LinuxProcessLauncher;
import dev.jqga.log.Log;
import dev.jqga.protocol.QgaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown and suspend with real helper processes, in a fixture tree: {@code root/sbin} and
 * {@code root/sys/power/state} stand in for the machine's, and the helpers' PATH holds only
 * stand-in {@code systemctl}/{@code pm-*} scripts that record how they were called: the PATH is
 * that directory alone, so the machine's own systemctl never runs. Nothing here can power off or
 * suspend the machine the tests run on.
 */
class PowerCommandsOnLinuxTest {
    @TempDir
    Path root;

    private Path bin;
    private Path calls;
    private PowerCommands power;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("sbin"));
        Files.createDirectories(root.resolve("sys/power"));
        calls = root.resolve("calls");
        Files.createFile(calls);
        LinuxProcessLauncher launcher = new LinuxProcessLauncher(new Log(System.err, false));
        HelperRunner helpers = new HelperRunner(launcher, List.of("PATH=" + bin));
        power = new PowerCommands(new CommandRegistry(), helpers, root, new Log(System.err, false));
    }

    /** A stand-in program that appends its name and arguments to {@code calls}, then runs {@code body}. */
    private void script(Path where, String body) throws IOException {
        Files.writeString(
                where, "#!/bin/sh\necho \"${0##*/} $*\" >> " + calls + "\n" + body + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(where, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(calls);
    }

    @Test
    void shutdownRunsPoweroffWithoutArgumentsWhenItIsThere() throws Exception {
        script(root.resolve("sbin/poweroff"), "exit 0");
        power.shutdown(null);
        assertThat(calls()).containsExactly("poweroff ");
    }

    @Test
    void shutdownFallsBackToShutdownWithTheModeFlag() throws Exception {
        script(root.resolve("sbin/shutdown"), "exit 0");
        power.shutdown("halt");
        power.shutdown("reboot");
        power.shutdown("powerdown");
        assertThat(calls())
                .containsExactly(
                        "shutdown -h -H +0 hypervisor initiated shutdown",
                        "shutdown -h -r +0 hypervisor initiated shutdown",
                        "shutdown -h -P +0 hypervisor initiated shutdown");
    }

    @Test
    void aFailingShutdownReportsItsOutputOrStatus() throws Exception {
        script(root.resolve("sbin/reboot"), "echo 'reboot: not now' >&2; exit 1");
        assertThatThrownBy(() -> power.shutdown("reboot"))
                .isInstanceOf(QgaException.class)
                .hasMessage("child process has failed to shutdown: reboot: not now\n");
        script(root.resolve("sbin/halt"), "exit 3");
        assertThatThrownBy(() -> power.shutdown("halt"))
                .hasMessage("child process has failed to shutdown: exit status 3");
        script(root.resolve("sbin/poweroff"), "kill -9 $$");
        assertThatThrownBy(() -> power.shutdown(null)).hasMessage("child process has terminated abnormally");
    }

    @Test
    void anUnknownModeRunsNothing() throws Exception {
        script(root.resolve("sbin/poweroff"), "exit 0");
        assertThatThrownBy(() -> power.shutdown("sleep"))
                .hasMessage("mode is invalid (valid values are: halt|powerdown|reboot)");
        assertThat(calls()).isEmpty();
    }

    @Test
    void suspendUsesSystemdWhenTheSleepUnitExists() throws Exception {
        script(bin.resolve("systemctl"), "[ \"$1\" = status ] && exit 3; exit 0");
        assertThat(power.suspend(SuspendMode.RAM)).isNull();
        assertThat(calls()).containsExactly("systemctl status systemd-suspend", "systemctl suspend");
    }

    @Test
    void suspendFallsBackToPmUtilsThenToSysfs() throws Exception {
        script(bin.resolve("systemctl"), "exit 4"); // unit unknown
        script(bin.resolve("pm-is-supported"), "exit 1");
        Files.writeString(root.resolve("sys/power/state"), "freeze mem disk\n");
        power.suspend(SuspendMode.DISK);
        assertThat(calls()).containsExactly("systemctl status systemd-hibernate", "pm-is-supported --hibernate");
        assertThat(Files.readString(root.resolve("sys/power/state"))).isEqualTo("disk");
    }

    @Test
    void pmUtilsSuspendsWhenSystemdCannot() throws Exception {
        script(bin.resolve("pm-is-supported"), "exit 0");
        script(bin.resolve("pm-suspend-hybrid"), "exit 0");
        power.suspend(SuspendMode.HYBRID);
        assertThat(calls()).containsExactly("pm-is-supported --suspend-hybrid", "pm-suspend-hybrid ");
    }

    @Test
    void noWayToSuspendIsNotSupported() throws Exception {
        Files.writeString(root.resolve("sys/power/state"), "freeze\n");
        assertThatThrownBy(() -> power.suspend(SuspendMode.RAM))
                .hasMessage("the requested suspend mode is not supported by the guest");
        assertThatThrownBy(() -> power.suspend(SuspendMode.HYBRID))
                .hasMessage("the requested suspend mode is not supported by the guest");
    }

    @Test
    void hybridClaimedButFailedHasNoSysfsToFallBackTo() throws Exception {
        script(bin.resolve("systemctl"), "[ \"$1\" = status ] && exit 3; exit 1");
        assertThatThrownBy(() -> power.suspend(SuspendMode.HYBRID)).hasMessage("unknown guest suspend mode");
    }
}
