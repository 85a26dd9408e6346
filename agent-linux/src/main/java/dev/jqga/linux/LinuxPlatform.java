package dev.jqga.linux;

import dev.jqga.linux.exec.LinuxProcessLauncher;
import dev.jqga.linux.files.LinuxGuestFiles;
import dev.jqga.log.Log;
import dev.jqga.platform.GuestFiles;
import dev.jqga.platform.Platform;
import dev.jqga.platform.ProcessLauncher;
import java.util.Optional;

/** Linux: chosen when os.name says so. */
public final class LinuxPlatform implements Platform {
    @Override
    public String name() {
        return "linux";
    }

    @Override
    public boolean supported() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    @Override
    public GuestFiles files() {
        return new LinuxGuestFiles();
    }

    @Override
    public Optional<ProcessLauncher> processes(Log log) {
        return Optional.of(new LinuxProcessLauncher(log));
    }
}
