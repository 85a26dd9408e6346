package dev.jqga;

/** Versions: the qemu-ga release whose protocol we speak, and our own. */
public final class Version {
    /** Reported by guest-info: hosts compare it with qemu-ga release numbers. */
    public static final String QGA = "10.0.0";

    public static final String JQGA = versionOf(Version.class.getPackage().getImplementationVersion());

    private Version() {}

    private static String versionOf(String v) {
        return v == null ? "dev" : v;
    }
}
