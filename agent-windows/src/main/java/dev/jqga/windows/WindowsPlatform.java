package dev.jqga.windows;

import dev.jqga.platform.Platform;

/** Windows: chosen when os.name says so. Its commands arrive with their issues. */
public final class WindowsPlatform implements Platform {
    @Override
    public String name() {
        return "windows";
    }

    @Override
    public boolean supported() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
