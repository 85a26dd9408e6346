package dev.jqga.linux;

import dev.jqga.config.AgentConfig;
import dev.jqga.linux.exec.LinuxProcessLauncher;
import dev.jqga.linux.files.LinuxGuestFiles;
import dev.jqga.linux.transport.NativeListenChannel;
import dev.jqga.linux.transport.VirtioPortChannel;
import dev.jqga.linux.transport.VsockAddress;
import dev.jqga.log.Log;
import dev.jqga.platform.GuestFiles;
import dev.jqga.platform.Platform;
import dev.jqga.platform.ProcessLauncher;
import dev.jqga.transport.Channel;
import java.io.IOException;
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
    public Channel openChannel(String method, String path) throws IOException {
        return switch (method) {
            case AgentConfig.VSOCK_LISTEN -> NativeListenChannel.vsock(VsockAddress.parse(path));
            case AgentConfig.VIRTIO_SERIAL -> VirtioPortChannel.open(path);
            default -> null;
        };
    }

    @Override
    public String inheritedSocketMethod(int fd) {
        return NativeListenChannel.methodOf(fd);
    }

    @Override
    public Channel adoptInheritedSocket(int fd) throws IOException {
        return NativeListenChannel.adopt(fd);
    }

    @Override
    public void forgetSocketActivation(int fdCount) {
        LinuxProcess.forgetSocketActivation(fdCount);
    }

    @Override
    public void passSocketOnStdin(int fd) throws IOException {
        LinuxProcess.passSocketOnStdin(fd);
    }

    @Override
    public int takeSocketFromStdin() throws IOException {
        return LinuxProcess.takeSocketFromStdin();
    }

    @Override
    public void detach(Runnable ready) throws IOException {
        LinuxProcess.detach(ready);
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
