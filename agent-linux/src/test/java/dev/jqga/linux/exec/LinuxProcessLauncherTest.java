package dev.jqga.linux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jqga.log.Log;
import dev.jqga.platform.ProcessLauncher.ChildExit;
import dev.jqga.platform.ProcessLauncher.ChildProcess;
import dev.jqga.platform.ProcessLauncher.Request;
import dev.jqga.platform.ProcessLauncher.SpawnException;
import dev.jqga.schema.GuestExecCaptureOutputMode;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real children on this machine, through the normal route (closefrom + pidfd) and through the
 * fallbacks older systems take (RHEL 8: glibc 2.28 has no closefrom_np, Linux 4.18 no pidfd_open).
 */
class LinuxProcessLauncherTest {
    private static final int LIMIT = 1 << 20;

    @ParameterizedTest(name = "closefrom {0}, pidfd {1}")
    @CsvSource({"true, true", "false, false"})
    void theChildSeesOnlyItsStdioAndIsReaped(boolean closefrom, boolean pidfd) throws Exception {
        LinuxProcessLauncher launcher = new LinuxProcessLauncher(new Log(System.err, false), closefrom, pidfd);
        try (FileInputStream heldOpen = new FileInputStream("/proc/self/status")) {
            ChildProcess child = launcher.spawn(new Request(
                    List.of("ls", "/proc/self/fd"), null, null, GuestExecCaptureOutputMode.SEPARATED, LIMIT));
            ChildExit exit = await(child);
            assertThat(exit.exitCode()).isZero();
            assertThat(new String(exit.out().data(), 0, exit.out().length(), StandardCharsets.US_ASCII))
                    .isEqualTo("0\n1\n2\n3\n");
            assertThat(heldOpen.getFD().valid()).isTrue();
        }
    }

    @ParameterizedTest(name = "closefrom {0}, pidfd {1}")
    @CsvSource({"true, true", "false, false"})
    void inputIsFedAndTheEndIsExact(boolean closefrom, boolean pidfd) throws Exception {
        LinuxProcessLauncher launcher = new LinuxProcessLauncher(new Log(System.err, false), closefrom, pidfd);
        byte[] input = "abc".getBytes(StandardCharsets.US_ASCII);
        ChildExit cat = await(launcher.spawn(new Request(
                List.of("sh", "-c", "cat; kill -9 $$"), null, input, GuestExecCaptureOutputMode.MERGED, LIMIT)));
        assertThat(cat.signal()).isEqualTo(9);
        assertThat(cat.exitCode()).isNull();
        assertThat(new String(cat.out().data(), 0, cat.out().length(), StandardCharsets.US_ASCII))
                .isEqualTo("abc");
        assertThat(cat.err().length()).isZero();
    }

    @ParameterizedTest(name = "closefrom {0}, pidfd {1}")
    @CsvSource({"true, true", "false, false"})
    void aMissingProgramIsGlibsError(boolean closefrom, boolean pidfd) {
        LinuxProcessLauncher launcher = new LinuxProcessLauncher(new Log(System.err, false), closefrom, pidfd);
        assertThatThrownBy(() -> launcher.spawn(new Request(
                        List.of("/nonexistent/x"), List.of(), null, GuestExecCaptureOutputMode.NONE, LIMIT)))
                .isInstanceOf(SpawnException.class)
                .hasMessage("Failed to execute child process \u201C/nonexistent/x\u201D (No such file or directory)");
    }

    private static ChildExit await(ChildProcess child) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            ChildExit e = child.pollExit();
            if (e != null) {
                return e;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("child " + child.pid() + " did not end");
    }
}
