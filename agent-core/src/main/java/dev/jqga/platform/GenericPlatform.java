package dev.jqga.platform;

/** What any JVM offers: the session commands and the pure-Java transports. */
final class GenericPlatform implements Platform {
    @Override
    public String name() {
        return "generic";
    }

    @Override
    public boolean supported() {
        return true;
    }
}
