package dev.jqga.linux;

import dev.jqga.platform.Platform;

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
}
